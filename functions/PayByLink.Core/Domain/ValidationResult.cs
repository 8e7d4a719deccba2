namespace PayByLink.Core.Domain;

/// <summary>The result of validating an input: the valid value, or the reasons it was rejected.</summary>
public sealed class ValidationResult<T> where T : class
{
    private ValidationResult(T? value, IReadOnlyList<FieldError> errors)
    {
        Value = value;
        Errors = errors;
    }

    public T? Value { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public bool IsValid => Value is not null;

    public static ValidationResult<T> Valid(T value) => new(value, []);

    public static ValidationResult<T> Invalid(IReadOnlyList<FieldError> errors) => new(null, errors);
}
