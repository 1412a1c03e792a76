using System.Collections.Concurrent;
using System.Diagnostics;
using DurableTask.AzureStorage;
using DurableTask.Core;

namespace DurableKube.Bench;

/// <summary>
/// The backend's own floor: N orchestrations of one trivial activity, started at once by 16 clients on a task hub of
/// their own in the same storage account, with the local host's Durable Task settings (partitions, polling interval,
/// concurrency, and extended sessions from the same <c>Durable__ExtendedSessionIdleTimeout</c> the host reads). A run's
/// latency is from its start call to its orchestrator's last (non-replayed) turn.
/// </summary>
internal static class Floor
{
    private static readonly ConcurrentDictionary<string, long> Completed = new(StringComparer.Ordinal);

    /// <summary>Runs the floor.</summary>
    /// <param name="storage">The storage connection string (the host's).</param>
    /// <param name="count">How many orchestrations.</param>
    /// <param name="clients">How many start them concurrently.</param>
    /// <param name="timeout">How long to wait for them all.</param>
    /// <param name="run">Names this run (its task hub and instance ids), so one bench can measure the floor more than once.</param>
    /// <param name="name">The run's name in the table.</param>
    /// <returns>Per second, and the start-to-completion latencies.</returns>
    public static async Task<ScenarioResult> RunAsync(string storage, int count, int clients, TimeSpan timeout, string run, string name)
    {
        var hub = "benchfloor" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + run;
        var sessions = TimeSpan.TryParse(Environment.GetEnvironmentVariable("Durable__ExtendedSessionIdleTimeout"), System.Globalization.CultureInfo.InvariantCulture, out var idle)
            ? idle
            : TimeSpan.Zero;
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(storage),
            TaskHubName = hub,
            WorkerId = "bench-floor",
            PartitionCount = 4,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(15),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(15),
            MaxConcurrentTaskActivityWorkItems = 32,
            MaxConcurrentTaskOrchestrationWorkItems = 32,
            ExtendedSessionsEnabled = sessions > TimeSpan.Zero,
            ExtendedSessionIdleTimeout = sessions,
        });
        await service.CreateIfNotExistsAsync();
        var worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(typeof(FloorOrchestration));
        worker.AddTaskActivities(typeof(FloorActivity));
        await worker.StartAsync();
        try
        {
            var client = new TaskHubClient(service);
            var clock = Stopwatch.StartNew();
            var first = Stopwatch.GetTimestamp();
            var started = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var id = $"floor-{run}-{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                    started[id] = Stopwatch.GetTimestamp();
                    await client.CreateOrchestrationInstanceAsync(typeof(FloorOrchestration), id, "x");
                }
            }));

            var deadline = clock.Elapsed + timeout;
            while (started.Keys.Count(Completed.ContainsKey) < count && clock.Elapsed < deadline)
            {
                await Task.Delay(50);
            }

            var latencies = started
                .Where(s => Completed.ContainsKey(s.Key))
                .Select(s => Stopwatch.GetElapsedTime(s.Value, Completed[s.Key]).TotalMilliseconds)
                .ToList();
            var last = started.Keys.Where(Completed.ContainsKey).Select(k => Completed[k]).DefaultIfEmpty(Stopwatch.GetTimestamp()).Max();
            var elapsed = Stopwatch.GetElapsedTime(first, last);
            return new ScenarioResult(name, count, latencies.Count, Stats.PerSecond(latencies.Count, elapsed), elapsed, Summary.Of(latencies));
        }
        finally
        {
            await worker.StopAsync(isForced: true);
            await service.DeleteAsync();
        }
    }

    /// <summary>Records an orchestration's completion, on the stopwatch's clock.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="ticks">When, as <see cref="Stopwatch.GetTimestamp"/>.</param>
    internal static void MarkCompleted(string instanceId, long ticks) => Completed.TryAdd(instanceId, ticks);
}

/// <summary>One trivial activity, then done.</summary>
internal sealed class FloorOrchestration : TaskOrchestration<string, string>
{
    /// <inheritdoc/>
    public override async Task<string> RunTask(OrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await context.ScheduleTask<string>(typeof(FloorActivity), input);
        if (!context.IsReplaying)
        {
            Floor.MarkCompleted(context.OrchestrationInstance.InstanceId, Stopwatch.GetTimestamp());
        }

        return result;
    }
}

/// <summary>The trivial activity: returns its input.</summary>
internal sealed class FloorActivity : TaskActivity<string, string>
{
    /// <inheritdoc/>
    protected override string Execute(TaskContext context, string input) => input;
}
