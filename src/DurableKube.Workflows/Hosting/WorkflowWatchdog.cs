using System.Collections.Concurrent;
using DurableKube.Ports.Workflows;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Hosting;

/// <summary>What the watchdog does about a workflow it has just read.</summary>
public enum WatchdogAction
{
    /// <summary>Nothing: it is not stuck.</summary>
    None,

    /// <summary>Terminate it, to be started again from its object.</summary>
    Terminate,

    /// <summary>Nothing yet: it was terminated less than the stuck limit ago, and the termination may still take.</summary>
    AwaitTermination,

    /// <summary>Its termination did not take: restart the workflow worker, then terminate it again.</summary>
    RestartWorker,
}

/// <summary>
/// The resync's watchdog over workflows that stopped making progress. A workflow stuck for longer than the limit
/// (<see cref="WorkflowInstances.StuckOn"/>) is terminated, and the next change or resync starts it again from its object.
/// A termination is a message like any other: when the backend's worker holds the instance in a session it no longer
/// processes (DurableTask.AzureStorage after its storage went away and came back, "Received a duplicate message" for
/// good: Azure/durabletask#605), the termination does not take either. One still unanswered a whole limit later has the
/// host restart its workflow worker (<see cref="IWorkflowWorker"/>), at most once per limit, and is sent again.
/// </summary>
/// <remarks>
/// It remembers the terminations it sent (in memory: a host that restarts starts a new worker anyway) until it sees
/// each instance no longer stuck.
/// </remarks>
public sealed class WorkflowWatchdog
{
    private readonly IWorkflowWorker _worker;
    private readonly TimeProvider _time;
    private readonly ILogger<WorkflowWatchdog> _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _terminated = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset? _restartedAt;

    /// <summary>Initializes a new instance of the <see cref="WorkflowWatchdog"/> class.</summary>
    /// <param name="worker">The host's workflow worker.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public WorkflowWatchdog(IWorkflowWorker worker, TimeProvider time, ILogger<WorkflowWatchdog> logger)
    {
        _worker = worker;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// What to do about a workflow as read: nothing while it is not stuck; terminate it when it is; once terminated, wait
    /// up to <paramref name="stuckAfter"/> for the termination to take (the instance ends, or moves again); past that,
    /// restart the worker, unless the worker was restarted less than <paramref name="stuckAfter"/> ago (terminate again).
    /// </summary>
    /// <param name="details">The instance as read, or <see langword="null"/> when there is none.</param>
    /// <param name="terminatedAt">When this watchdog last terminated it, if it did and has not seen it unstuck since.</param>
    /// <param name="workerRestartedAt">When this watchdog last had the worker restarted, if it did.</param>
    /// <param name="stuckAfter">How long a silence may last, and how long a termination may take.</param>
    /// <param name="now">The present.</param>
    /// <returns>The action, and what the workflow waits for when it is stuck.</returns>
    public static (WatchdogAction Action, string? WaitingFor) Decide(
        WorkflowInstanceDetails? details, DateTimeOffset? terminatedAt, DateTimeOffset? workerRestartedAt, TimeSpan stuckAfter, DateTimeOffset now)
    {
        if (WorkflowInstances.StuckOn(details, stuckAfter, now) is not { } waitingFor)
        {
            return (WatchdogAction.None, null);
        }

        // A workflow that moved after the termination was sent is a new story (the termination took, or it was started again).
        if (terminatedAt is not { } terminated || details!.LastUpdatedAt > terminated)
        {
            return (WatchdogAction.Terminate, waitingFor);
        }

        if (now - terminated < stuckAfter)
        {
            return (WatchdogAction.AwaitTermination, waitingFor);
        }

        return workerRestartedAt is { } restarted && now - restarted < stuckAfter
            ? (WatchdogAction.Terminate, waitingFor)
            : (WatchdogAction.RestartWorker, waitingFor);
    }

    /// <summary>
    /// Acts on a workflow as just read (<see cref="Decide"/>): terminates it, or restarts the worker and terminates it
    /// again, or leaves it.
    /// </summary>
    /// <param name="workflows">The workflow client.</param>
    /// <param name="instanceId">The instance's id (it may not exist).</param>
    /// <param name="details">The instance as just read, or <see langword="null"/> when there is none.</param>
    /// <param name="stuckAfter">How long a silence may last.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>Whether it is in the watchdog's hands (terminated, or its termination awaited): the caller leaves it alone.</returns>
    public async Task<bool> CheckAsync(
        IWorkflowClient workflows, string instanceId, WorkflowInstanceDetails? details, TimeSpan stuckAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var now = _time.GetUtcNow();
        var (action, waitingFor) = Decide(
            details, _terminated.TryGetValue(instanceId, out var at) ? at : null, RestartedAt, stuckAfter, now);
        Forget(now - (3 * stuckAfter));
        if (action is WatchdogAction.None)
        {
            _terminated.TryRemove(instanceId, out _);
            return false;
        }

        if (action is WatchdogAction.AwaitTermination)
        {
            return true;
        }

        var since = details!.LastUpdatedAt;
        if (action is WatchdogAction.RestartWorker)
        {
            Log.TerminationDidNotTake(_logger, instanceId, waitingFor!, since, at);
            await RestartWorkerOnceAsync(instanceId, stuckAfter, cancellationToken);
        }
        else
        {
            Log.WorkflowStuck(_logger, instanceId, waitingFor!, since);
        }

        await workflows.TerminateAsync(
            instanceId, $"waited for its {waitingFor} since {since:O}: terminated to be started again from its object", cancellationToken);
        _terminated[instanceId] = _time.GetUtcNow();
        return true;
    }

    /// <summary>Restarts the worker, unless another check did so less than a limit ago (many stuck instances, one restart).</summary>
    private async Task RestartWorkerOnceAsync(string instanceId, TimeSpan stuckAfter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_restartedAt is { } restarted && now - restarted < stuckAfter)
            {
                return;
            }

            _restartedAt = now;
        }

        await _worker.RestartAsync($"the termination of workflow {instanceId} did not take", cancellationToken);
    }

    private DateTimeOffset? RestartedAt
    {
        get
        {
            lock (_gate)
            {
                return _restartedAt;
            }
        }
    }

    /// <summary>
    /// Forgets terminations older than <paramref name="before"/>: a stuck instance's entry is renewed at least every limit
    /// and resync, so an older one is of an instance no longer read (its object is gone).
    /// </summary>
    private void Forget(DateTimeOffset before)
    {
        foreach (var (instanceId, at) in _terminated)
        {
            if (at < before)
            {
                _terminated.TryRemove(new KeyValuePair<string, DateTimeOffset>(instanceId, at));
            }
        }
    }
}
