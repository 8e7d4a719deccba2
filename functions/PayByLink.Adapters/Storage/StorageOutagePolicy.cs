using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Sits outside the SDK's retries and turns what is left once they are spent — a connection refused or reset, a
/// call past its network deadline, a 5xx answer — into <see cref="StorageUnavailableException"/>, so every host
/// can tell an outage from a bug without knowing the SDK. A call its own caller cancelled stays cancelled.
/// </summary>
public sealed class StorageOutagePolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (IsOutage(e, message))
        {
            throw Unavailable(message, e);
        }

        ThrowOnServerError(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception e) when (IsOutage(e, message))
        {
            throw Unavailable(message, e);
        }

        ThrowOnServerError(message);
    }

    private static bool IsOutage(Exception e, HttpMessage message) =>
        !message.CancellationToken.IsCancellationRequested &&
        e is AggregateException or RequestFailedException { Status: 0 } or OperationCanceledException or HttpRequestException or IOException;

    private static void ThrowOnServerError(HttpMessage message)
    {
        if (message.HasResponse && message.Response.Status >= 500)
        {
            throw new StorageUnavailableException(
                $"Storage at {Endpoint(message)} answered {message.Response.Status} to {message.Request.Method}.");
        }
    }

    private static StorageUnavailableException Unavailable(HttpMessage message, Exception e) =>
        new($"Storage at {Endpoint(message)} did not answer {message.Request.Method}: {e.GetType().Name}.", e);

    /// <summary>The service's host and port: never the path, which holds table keys.</summary>
    internal static string Endpoint(HttpMessage message) => $"{message.Request.Uri.Host}:{message.Request.Uri.Port}";
}

/// <summary>
/// Before each try of a storage call: fails the call as unavailable once its flow's <see cref="CallDeadline"/> has
/// passed, and gives the try no longer than the time left.
/// </summary>
public sealed class CallDeadlinePolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Limit(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Limit(message);
        return ProcessNextAsync(message, pipeline);
    }

    private static void Limit(HttpMessage message)
    {
        if (CallDeadline.Remaining is not { } left)
        {
            return;
        }

        if (left <= TimeSpan.Zero)
        {
            throw new StorageUnavailableException(
                $"Storage at {StorageOutagePolicy.Endpoint(message)} did not answer {message.Request.Method} within the call's deadline.");
        }

        if (left < (message.NetworkTimeout ?? StorageClients.NetworkTimeout))
        {
            message.NetworkTimeout = left;
        }
    }
}
