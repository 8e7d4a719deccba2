using PayByLink.Core.Webhooks;

namespace PayByLink.Testing.InMemory;

/// <summary>An endpoint in memory: each post is kept, and answered by <see cref="Respond"/> (200 unless set).</summary>
public sealed class FakeWebhookClient : IWebhookClient
{
    public List<(string EventId, DateTimeOffset At)> Posts { get; } = [];

    public Func<string, WebhookResponse> Respond { get; set; } = _ => new WebhookResponse(200, null);

    public TimeProvider? Clock { get; set; }

    public Task<WebhookResponse> PostAsync(Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var eventId = headers[WebhookSignature.EventIdHeader];
        lock (Posts)
        {
            Posts.Add((eventId, Clock?.GetUtcNow() ?? default));
        }

        return Task.FromResult(Respond(eventId));
    }
}
