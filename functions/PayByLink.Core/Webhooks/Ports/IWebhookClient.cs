namespace PayByLink.Core.Webhooks;

/// <summary>Posts a signed event to an endpoint, within <see cref="WebhookRetryPolicy.Timeout"/>, never following redirects.</summary>
public interface IWebhookClient
{
    Task<WebhookResponse> PostAsync(Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);
}
