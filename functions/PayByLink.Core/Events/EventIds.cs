namespace PayByLink.Core.Events;

/// <summary>Event ids: <c>evt_{requestId or batchId}_{sequence}</c>.</summary>
public static class EventIds
{
    private const string Prefix = "evt_";

    public static string For(string subjectId, int sequence) => $"{Prefix}{subjectId}_{sequence}";

    public static bool TryParse(string? eventId, out string subjectId, out int sequence)
    {
        subjectId = "";
        sequence = 0;
        if (eventId is null || !eventId.StartsWith(Prefix, StringComparison.Ordinal) || eventId.Length > 100)
        {
            return false;
        }

        var at = eventId.LastIndexOf('_');
        if (at <= Prefix.Length || !int.TryParse(eventId.AsSpan(at + 1), System.Globalization.NumberStyles.None, null, out sequence) || sequence < 1)
        {
            return false;
        }

        subjectId = eventId[Prefix.Length..at];
        return IsRequest(subjectId) || IsBatch(subjectId);
    }

    public static bool IsRequest(string subjectId) => subjectId.StartsWith("pr_", StringComparison.Ordinal);

    public static bool IsBatch(string subjectId) => subjectId.StartsWith("b_", StringComparison.Ordinal);
}
