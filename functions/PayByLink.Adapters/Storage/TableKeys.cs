using System.Globalization;

namespace PayByLink.Adapters.Storage;

/// <summary>Turns values into Table Storage key parts: no '/', '\', '#', '?', control characters or '|' separators.</summary>
internal static class TableKeys
{
    public static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>Newest first: ticks counted down from the end of time, fixed width so they sort as text.</summary>
    public static string NewestFirst(DateTimeOffset time) =>
        (DateTime.MaxValue.Ticks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

}
