using Azure;

namespace PayByLink.Notify;

/// <summary>What a refused ACS call said about when to try again.</summary>
internal static class AcsResponses
{
    /// <summary>The <c>Retry-After</c> header of the failed call's response, if it had one.</summary>
    public static string? RetryAfter(RequestFailedException e) =>
        e.GetRawResponse() is { } response && response.Headers.TryGetValue("Retry-After", out var value) ? value : null;
}
