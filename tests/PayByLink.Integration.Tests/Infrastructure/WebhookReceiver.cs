using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>One post the receiver got, and what it answered.</summary>
public sealed record ReceivedWebhook(DateTimeOffset At, string? EventId, string? Signature, byte[] Body, int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public int Sequence => Json.GetProperty("sequence").GetInt32();

    public string SubjectId => Json.GetProperty("data").TryGetProperty("requestId", out var r) ? r.GetString()! : Json.GetProperty("data").GetProperty("batchId").GetString()!;
}

/// <summary>A merchant's webhook endpoint over real HTTP on 127.0.0.1: records every post and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hooks";

    /// <summary>How to answer a post: by default 200 at once.</summary>
    public Func<ReceivedWebhook, Task<int>> Respond { get; set; } = _ => Task.FromResult(200);

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToList();

    public static async Task<WebhookReceiver> StartAsync(int? port = null)
    {
        port ??= Azurite.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port.Value);
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var call = new ReceivedWebhook(DateTimeOffset.UtcNow, request.Headers["PayByLink-Event-Id"].FirstOrDefault(),
                request.Headers["PayByLink-Signature"].FirstOrDefault(), buffer.ToArray(), 0);
            var status = await receiver.Respond(call);
            receiver._received.Enqueue(call with { Answered = status });
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until the posts so far satisfy <paramref name="done"/>; fails the test with what came when they do not in time.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = Received;
            if (done(received))
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The webhooks expected did not arrive in time. Received: " +
                                           string.Join(", ", received.Select(r => $"{r.EventId} ({r.Answered})")));
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
