namespace PayByLink.Core.Webhooks;

/// <summary>What an endpoint answered: its status code, or why there was none (refused, timed out, not allowed).</summary>
public sealed record WebhookResponse(int? StatusCode, string? Error)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
