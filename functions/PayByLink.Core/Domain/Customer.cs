namespace PayByLink.Core.Domain;

public sealed record Customer(string? Title, string FirstName, string LastName, string? MobileNumber, string? Email)
{
    public string FullName => $"{FirstName} {LastName}";

    /// <summary>The keys the customer is found by name with: first, last and full name, each as <see cref="NameKey"/> writes it.</summary>
    public IEnumerable<string> NameKeys() => new[] { FirstName, LastName, FullName }.Select(NameKey).Where(key => key.Length > 0).Distinct();

    /// <summary>Names compare case-insensitively with runs of spaces folded: "Jane  SMITH" matches "jane smith".</summary>
    public static string NameKey(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToLowerInvariant();
}
