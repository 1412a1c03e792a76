using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// "Nothing runs while nothing happens", measured: once the last pod has finished and been deleted, the host runs no
/// orchestration episode and no activity, and leaves no durable timer pending, through resyncs and all. The figure is
/// read where it cannot be argued with: the Durable Task hub's own tables and queues (every episode and every activity
/// result appends History rows; every pending timer is a message on a control queue, invisible until due).
/// </summary>
/// <remarks>
/// In the Functions app each orchestration episode and each activity is a function execution, so these are what the
/// README's "0 function executions per idle hour" counts. Two loops differ on the local host: the node agents and the
/// dispatcher's resync run as hosted services here (durable loops in the Functions app, whose ending
/// <c>NodeAgentLoopTests.An_idle_hour_runs_no_function</c> checks); this test makes the resync run during the
/// window (every 15 s) to show that a resync of an idle control plane starts nothing either.
/// </remarks>
[Collection(IdleHostCollection.Name)]
public sealed class IdleHostTests(IdleHostFixture host, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(45);

    /// <summary>How long the history must stay still to call the host quiet: longer than any wait of a live workflow here (a node's 40 s grace).</summary>
    private static readonly TimeSpan Still = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Once_the_last_pod_is_gone_no_workflow_runs_and_none_waits_on_a_timer()
    {
        var ns = E2E.UniqueNamespace("idle");
        await E2E.CreateNamespaceAsync(host, ns);

        // Work of every kind first: a ReplicaSet's pods, a run-to-completion pod, a pod that crash-loops on a timer.
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: app, image: python:3, command: [sleep, "3600"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: once}
            spec:
              restartPolicy: Never
              containers: [{name: app, image: python:3, command: ["true"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: crashing}
            spec:
              containers: [{name: app, image: python:3, command: ["false"]}]
            """));
        await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "pods", "-n", ns, "--no-headers"),
            table => table.Contains("Completed", StringComparison.Ordinal) && table.Contains("CrashLoopBackOff", StringComparison.Ordinal)
                && table.Split('\n').Count(l => l.StartsWith("web-", StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal)) == 2,
            TimeSpan.FromMinutes(2),
            "the ReplicaSet's pods Running, one pod Completed and one crash-looping");

        // Then nothing: the namespace and everything in it deleted, as a user ends their day.
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=true", "--timeout=120s");
        var deleted = DateTimeOffset.UtcNow;

        // Quiet comes once the deletions' own work is done: wait for a stretch with no new work and nothing pending.
        var hub = new TaskHub(host.StorageConnectionString, host.TaskHub);
        (HubFigures before, HubFigures after) settled;
        try
        {
            settled = await Eventually.WaitAsync(
                async () =>
                {
                    var before = await hub.ReadAsync();
                    await Task.Delay(Still);
                    var after = await hub.ReadAsync();
                    return (before, after);
                },
                pair => pair.before.HistoryRows == pair.after.HistoryRows,
                TimeSpan.FromMinutes(4),
                "a quiet task hub after the last pod was deleted");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; left to wake: {await hub.DescribeAsync()}", e);
        }

        output.WriteLine($"The task hub was quiet {settled.after.At - deleted:mm\\:ss} after the namespace was deleted.");

        // The window: several resyncs of the dispatcher run in it; no episode, no activity, no timer.
        var start = settled.after;
        await Task.Delay(Window);
        var end = await hub.ReadAsync();
        var changed = await hub.InstancesChangedSinceAsync(start.At);
        var timed = await hub.LiveInstancesWithATimerAsync();
        output.WriteLine($"Left on the task hub's queues: {end.QueuedMessages} message(s), the timers of ended workflows (dropped when due, nothing runs); live: {await hub.DescribeAsync()}");

        Assert.True(
            end.HistoryRows == start.HistoryRows && changed.Count == 0 && timed.Count == 0,
            $"An idle host ran durable work in {Window.TotalSeconds} s: {end.HistoryRows - start.HistoryRows} history rows written, " +
            $"instances that changed: {string.Join(", ", changed)}; live instances waiting on a timer: {string.Join(", ", timed)}");
    }

    /// <summary>The Durable Task hub's figures that grow with any durable work: history rows, queued messages.</summary>
    private sealed record HubFigures(long HistoryRows, long QueuedMessages, DateTimeOffset At);

    /// <summary>Reads the task hub as DurableTask.AzureStorage lays it out: <c>{hub}History</c>, <c>{hub}Instances</c>, queues <c>{hub}-*</c>.</summary>
    private sealed class TaskHub(string connectionString, string name)
    {
        private readonly TableServiceClient _tables = new(connectionString);
        private readonly QueueServiceClient _queues = new(connectionString);

        public async Task<HubFigures> ReadAsync()
        {
            var at = DateTimeOffset.UtcNow;
            long rows = 0;
            await foreach (var _ in _tables.GetTableClient(name + "History").QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                rows++;
            }

            // A queue's approximate count includes messages not visible yet: the provider's timers are such messages.
            long queued = 0;
            await foreach (var queue in _queues.GetQueuesAsync(prefix: name.ToLowerInvariant() + "-"))
            {
                var properties = await _queues.GetQueueClient(queue.Name).GetPropertiesAsync();
                queued += properties.Value.ApproximateMessagesCount;
            }

            return new HubFigures(rows, queued, at);
        }

        /// <summary>Names what is left to wake: each queue's messages and each instance not ended, for a failure to be read.</summary>
        public async Task<string> DescribeAsync()
        {
            var parts = new List<string>();
            await foreach (var queue in _queues.GetQueuesAsync(prefix: name.ToLowerInvariant() + "-"))
            {
                var count = (await _queues.GetQueueClient(queue.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                if (count > 0)
                {
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"queue {queue.Name}: {count}"));
                }
            }

            parts.AddRange((await LiveInstancesAsync()).Select(row => $"{row.PartitionKey} {row.GetString("RuntimeStatus")} ({row.GetString("CustomStatus")})"));
            return string.Join("; ", parts);
        }

        /// <summary>The live instances whose status names a timer they wait for (every loop's status says <c>nextTimer</c>).</summary>
        public async Task<List<string>> LiveInstancesWithATimerAsync()
        {
            var timed = new List<string>();
            foreach (var row in await LiveInstancesAsync())
            {
                var status = row.GetString("CustomStatus") ?? string.Empty;
                if (!status.Contains("\"nextTimer\":null", StringComparison.Ordinal))
                {
                    timed.Add($"{row.PartitionKey} ({status})");
                }
            }

            return timed;
        }

        /// <summary>The instances not ended: running, or started and not yet run.</summary>
        private async Task<List<TableEntity>> LiveInstancesAsync()
        {
            var live = new List<TableEntity>();
            var running = TableClient.CreateQueryFilter($"RuntimeStatus eq {"Running"} or RuntimeStatus eq {"Pending"}");
            await foreach (var row in _tables.GetTableClient(name + "Instances").QueryAsync<TableEntity>(running))
            {
                live.Add(row);
            }

            return live;
        }

        public async Task<List<string>> InstancesChangedSinceAsync(DateTimeOffset since)
        {
            var changed = new List<string>();
            var filter = TableClient.CreateQueryFilter($"Timestamp ge {since}");
            await foreach (var row in _tables.GetTableClient(name + "Instances").QueryAsync<TableEntity>(filter))
            {
                changed.Add(string.Create(CultureInfo.InvariantCulture, $"{row.PartitionKey} ({row.GetString("RuntimeStatus")})"));
            }

            return changed;
        }
    }
}

/// <summary>
/// A local host of its own for <see cref="IdleHostTests"/>: idleness cannot be measured beside other tests' pods. Its
/// dispatcher resyncs every 15 s, so resyncs run inside the test's window.
/// </summary>
public sealed class IdleHostFixture : LocalHostFixture
{
    /// <inheritdoc />
    protected override void Configure(IDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment["Dispatcher__ResyncInterval"] = "00:00:15";
        environment["DURABLEKUBE_NO_BUILD"] = "1"; // scripts/test.sh (or dotnet test's project reference) built it.
    }
}

/// <summary>The idle test's one host.</summary>
[CollectionDefinition(Name)]
public sealed class IdleHostCollection : ICollectionFixture<IdleHostFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Idle host";
}
