namespace PayByLink.Core.Domain;

/// <summary>One reason a field was rejected: a stable machine code and a message for people.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>Collects field errors while validating one input.</summary>
public sealed class FieldErrors
{
    private readonly List<FieldError> _errors = [];

    public bool Any => _errors.Count > 0;

    public IReadOnlyList<FieldError> All => _errors;

    public void Add(string field, string code, string message) => _errors.Add(new FieldError(field, code, message));

    public void AddRange(IEnumerable<FieldError> errors) => _errors.AddRange(errors);

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}
