using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

/// <summary>The local runtime's queue workers do with messages what the Functions apps' host.json and Bicep say Azure does.</summary>
[Collection(SuiteCollection.Name)]
public class HostsAlikeTests(SuiteFixture suite)
{
    private static string RepoFile(params string[] parts) => Path.Combine([RepositoryRoot.Find(), .. parts]);

    [Fact]
    public void The_local_queue_workers_read_the_batch_apps_host_json()
    {
        using var file = File.OpenRead(RepoFile("functions", "PayByLink.Batch", "host.json"));
        var fromFile = QueueTriggerSettings.FromHostJson(file);

        var local = suite.Runtime.Services.GetRequiredService<QueueTriggerSettings>();

        local.ShouldBe(fromFile);
        local.ShouldBe(new QueueTriggerSettings(BatchSize: 8, NewBatchThreshold: 4, MaxDequeueCount: 5, VisibilityTimeout: TimeSpan.FromSeconds(30)),
            "a change of host.json is a change of what both hosts do: say so here");
    }

    [Fact]
    public void A_send_is_dead_lettered_after_as_many_deliveries_locally_as_on_service_bus()
    {
        var bicep = File.ReadAllText(RepoFile("infra", "core", "messaging", "service-bus.bicep"));
        var maxDeliveryCount = int.Parse(System.Text.RegularExpressions.Regex.Match(bicep, @"maxDeliveryCount:\s*(\d+)").Groups[1].Value);

        RetryPolicy.Default.MaxDeliveryCount.ShouldBe(maxDeliveryCount);
    }

    [Fact]
    public void The_local_senders_take_as_many_messages_at_once_as_the_notify_app()
    {
        using var file = File.OpenRead(RepoFile("functions", "PayByLink.Notify", "host.json"));
        var serviceBus = JsonDocument.Parse(file).RootElement.GetProperty("extensions").GetProperty("serviceBus");

        SendQueueWorker.ReceiveSize.ShouldBe(serviceBus.GetProperty("maxConcurrentCalls").GetInt32());

        // A merchant's session runs one call at a time: the pacer gives each merchant one turn in its rotation at a time.
        serviceBus.GetProperty("maxConcurrentCallsPerSession").GetInt32().ShouldBe(1);
    }
}
