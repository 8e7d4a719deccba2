using System.Text.RegularExpressions;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

/// <summary>
/// A merchant's wording for a message: text with placeholders filled from the request as it is sent. The SMS must
/// carry the link; a placeholder with no value (no passphrase) is left out with the space before it.
/// </summary>
public static partial class MessageTemplate
{
    public const int MaxSmsLength = 480;
    public const int MaxEmailIntroLength = 500;

    public static readonly IReadOnlyList<string> Placeholders = ["{name}", "{amount}", "{link}", "{merchant}", "{passphrase}", "{reason}"];

    /// <summary>The template with its placeholders filled.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string?> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Value, out var value) ? value ?? "" : m.Value).Replace("  ", " ").Trim();

    /// <summary>What is wrong with a template for <paramref name="field"/>, if anything.</summary>
    public static IReadOnlyList<FieldError> Check(string field, string template, bool needsLink, int maxLength)
    {
        var errors = new FieldErrors();
        if (template.Length > maxLength)
        {
            errors.Add(field, "too_long", $"The wording can be at most {maxLength} characters.");
        }

        foreach (Match unknown in Placeholder().Matches(template))
        {
            if (!Placeholders.Contains(unknown.Value))
            {
                errors.Add(field, "unknown_placeholder", $"{unknown.Value} is not a placeholder: use {string.Join(", ", Placeholders)}.");
            }
        }

        if (needsLink && !template.Contains("{link}", StringComparison.Ordinal))
        {
            errors.Add(field, "link_required", "The text must include {link}: it is how the customer pays.");
        }

        return errors.All;
    }

    [GeneratedRegex(@"\{[a-zA-Z]*\}")]
    private static partial Regex Placeholder();
}
