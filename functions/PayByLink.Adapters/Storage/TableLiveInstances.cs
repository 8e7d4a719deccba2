using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// How many instances of an app are serving, from their heartbeats: each instance writes its row
/// (<c>Instances</c>, partition the app's name) every <see cref="Beat"/>, and counts the rows written within
/// <see cref="Lapse"/>. An instance that stops removes its row; one that dies drops out of the count after
/// <see cref="Lapse"/>. Until the first count, and if storage does not answer, the last count stands (one at first).
/// </summary>
public sealed partial class TableLiveInstances(StorageClients storage, string app, TimeProvider clock, ILogger<TableLiveInstances> logger)
    : BackgroundService, ILiveInstances
{
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Lapse = TimeSpan.FromSeconds(45);

    private readonly TableClient _table = storage.Table(StorageNames.InstancesTable);
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private volatile int _count = 1;

    public int Count => _count;

    /// <summary>Writes this instance's heartbeat and counts the live ones.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await _table.UpsertEntityAsync(new TableEntity(app, _instance) { ["SeenAt"] = now }, TableUpdateMode.Replace, cancellationToken);
        var live = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {app}"),
                           select: ["RowKey", "SeenAt"], cancellationToken: cancellationToken))
        {
            var seen = row.GetDateTimeOffset("SeenAt");
            if (seen >= now - Lapse)
            {
                live++;
            }
            else if (seen < now - 10 * Lapse)
            {
                await _table.DeleteEntityAsync(app, row.RowKey, row.ETag, cancellationToken);
            }
        }

        _count = Math.Max(1, live);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogBeatFailed(e, _count);
            }

            try
            {
                await Task.Delay(Beat, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await _table.DeleteEntityAsync(app, _instance, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBeatFailed(e, _count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The instance heartbeat failed; the rate share stays at 1/{Count}.")]
    private partial void LogBeatFailed(Exception exception, int count);
}
