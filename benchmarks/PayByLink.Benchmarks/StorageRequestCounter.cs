using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PayByLink.Benchmarks;

/// <summary>Counts every request the runtime's storage clients make, in all and by kind (method and service).</summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> _byKind = new();
    private long _count;
    private long _messagesDeleted;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Queue messages deleted (the response received): for a sender, the messages it has finished with.</summary>
    public long MessagesDeleted => Interlocked.Read(ref _messagesDeleted);

    public IReadOnlyDictionary<string, long> ByKind => _byKind;

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _messagesDeleted, 0);
        _byKind.Clear();
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        _byKind.AddOrUpdate($"{message.Request.Method} {Kind(message)}", 1, (_, n) => n + 1);
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Delete && Kind(message) == "queue" && message.Response.Status == 204)
        {
            Interlocked.Increment(ref _messagesDeleted);
        }
    }

    private static string Kind(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        return path.Contains("/messages", StringComparison.Ordinal) ? "queue"
            : path.EndsWith("$batch", StringComparison.Ordinal) ? "table transaction"
            : "table " + System.Text.RegularExpressions.Regex.Match(path, @"/([A-Za-z][A-Za-z0-9]*)(\(|$)").Groups[1].Value;
    }
}
