using System.Globalization;

namespace PayByLink.Core.Domain;

/// <summary>How every list call pages: its page size, and (for lists by page number) the page.</summary>
public static class Paging
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>The <c>pageSize</c> parameter: 1 to <see cref="MaxPageSize"/>, <see cref="DefaultPageSize"/> when absent.</summary>
    public static int PageSize(string? text, FieldErrors errors) =>
        Read(text, "pageSize", MaxPageSize, DefaultPageSize, $"pageSize must be between 1 and {MaxPageSize}.", errors);

    /// <summary>The <c>page</c> parameter: a page number from 1, 1 when absent.</summary>
    public static int PageNumber(string? text, FieldErrors errors) =>
        Read(text, "page", int.MaxValue, 1, "page must be a whole number from 1.", errors);

    private static int Read(string? text, string field, int max, int fallback, string message, FieldErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        errors.Add(field, "out_of_range", message);
        return fallback;
    }
}
