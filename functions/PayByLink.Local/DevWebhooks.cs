using PayByLink.Core.Ports;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Webhooks;

namespace PayByLink.Local;

/// <summary>
/// A webhook receiver built into the local runtime, like <c>stripe listen</c>: register
/// <c>{base}/dev/webhooks/receive</c> as an endpoint, and <c>/dev/webhooks</c> shows every event it got, newest
/// first, with the result of checking its signature against the secrets of the endpoints registered with that
/// URL. <c>?status=500</c> on the registered URL makes it answer that status, to watch retries.
/// </summary>
public static class DevWebhooks
{
    public const string Route = "/dev/webhooks";
    public const string ReceiveRoute = "/dev/webhooks/receive";

    public static IEndpointRouteBuilder MapDevWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost(ReceiveRoute, ReceiveAsync).ExcludeFromDescription();
        app.MapGet(Route, Show).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, DevWebhookInbox inbox, StorageClients storage,
        PayByLink.Adapters.Secrets.SecretProtector protector, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var signature = request.Headers[WebhookSignature.Header].FirstOrDefault();
        var url = $"{request.Scheme}://{request.Host}{request.Path}{request.QueryString}";
        var secrets = (await SecretsForAsync(storage, url, clock.GetUtcNow(), cancellationToken)).Select(protector.Unprotect).ToList();
        var verdict = secrets.Count == 0 ? "no endpoint is registered with this URL"
            : secrets.Select(s => WebhookSignature.Verify(signature, body, s, clock.GetUtcNow())).FirstOrDefault(v => v.Valid) is { Valid: true }
                ? "valid"
                : "invalid: " + WebhookSignature.Verify(signature, body, secrets[0], clock.GetUtcNow()).Reason;
        string? type = null;
        try
        {
            type = JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }

        inbox.Add(new ReceivedWebhook(clock.GetUtcNow(), request.Headers[WebhookSignature.EventIdHeader].FirstOrDefault(), type, signature, verdict,
            Encoding.UTF8.GetString(body)));

        return int.TryParse(request.Query["status"], out var status) && status is >= 200 and < 600
            ? Results.StatusCode(status)
            : Results.Ok();
    }

    private static IResult Show(HttpRequest request, DevWebhookInbox inbox)
    {
        var received = inbox.List();
        if (request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return TypedResults.Ok(received);
        }

        var html = new StringBuilder($$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Webhooks · PayByLink local</title>
            <style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem;overflow-wrap:anywhere}article{border:1px solid #ccc;border-radius:6px;padding:.75rem;margin:.75rem 0}
            header{font-size:.85rem;color:#444}pre{white-space:pre-wrap;font-size:.8rem;margin:.5rem 0 0}.valid{color:#060}.invalid{color:#a00}</style></head><body>
            <h1>Webhooks</h1><p>What the built-in receiver got, newest first. Register <code>{{WebUtility.HtmlEncode(request.Scheme + "://" + request.Host + ReceiveRoute)}}</code>
            as a webhook endpoint to see your events here.</p>
            """);
        if (received.Count == 0)
        {
            html.Append("<p>Nothing received yet.</p>");
        }

        foreach (var r in received)
        {
            html.Append("<article><header>").Append(E(r.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"))).Append(" · ")
                .Append(E(r.Type ?? "?")).Append(" · ").Append(E(r.EventId ?? "no event id")).Append(" · signature <span class=\"")
                .Append(r.Verdict == "valid" ? "valid" : "invalid").Append("\">").Append(E(r.Verdict)).Append("</span></header><pre>")
                .Append(E(r.Body)).Append("</pre></article>");
        }

        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>The signing secrets of every endpoint, of any merchant, registered with this URL (a scan: fine for a laptop's data).</summary>
    private static async Task<IReadOnlyList<string>> SecretsForAsync(StorageClients storage, string url, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secrets = new List<string>();
        var filter = TableClient.CreateQueryFilter($"RowKey gt {"endpoint|"} and RowKey lt {"endpoint}"}");
        await foreach (var row in storage.Table(StorageNames.WebhooksTable).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var endpoint = JsonSerializer.Deserialize<WebhookEndpoint>(row.GetString("Document"), StoredJson.Options);
            if (endpoint is not null && Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var registered) &&
                Uri.TryCreate(url, UriKind.Absolute, out var called) && registered.PathAndQuery == called.PathAndQuery && registered.Port == called.Port)
            {
                secrets.AddRange(endpoint.SigningSecrets(now));
            }
        }

        return secrets;
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
