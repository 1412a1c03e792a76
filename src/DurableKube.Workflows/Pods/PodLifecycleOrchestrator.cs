using DurableKube.Domain.Kubelet;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// The kubelet of one pod, as a durable orchestration (instance id <c>pod-&lt;uid&gt;</c>). It decides
/// nothing itself: <see cref="PodLifecycle"/> plans, <see cref="SyncPodActivity"/> acts, and between
/// steps it waits on a durable timer (a restart falling due, a grace period ending) or for a signal
/// (a container exit from the node agent, a deletion from the dispatcher).
/// </summary>
public static class PodLifecycleOrchestrator
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "PodLifecycle";

    /// <summary>
    /// Turns of the loop (a signal, a timer, a sync) before the orchestration continues as new, which
    /// keeps the history of a pod that restarts, or waits to be scheduled, forever bounded.
    /// </summary>
    public const int TurnsPerExecution = 50;

    /// <summary>How long to wait before planning again after the sync activity failed all its retries.</summary>
    public static readonly TimeSpan FailedSyncDelay = TimeSpan.FromSeconds(15);

    private static readonly TaskOptions SyncRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(10)));

    /// <summary>Runs the pod's lifecycle until its object is removed.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="state">The pod's lifecycle state: the initial one, or the one carried over by continue-as-new.</param>
    /// <returns>The name of the pod once it is gone.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, PodLifecycleState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        var logger = context.CreateReplaySafeLogger(typeof(PodLifecycleOrchestrator));

        // One outstanding wait for a signal, kept across loop turns and never cancelled: a cancelled
        // waiter stays on the context's stack and would swallow the next event that arrives while
        // this orchestration awaits an activity.
        Task<PodEvent>? signal = null;
        for (var turn = 0; ; turn++)
        {
            if (turn >= TurnsPerExecution)
            {
                // Signals not yet taken go over to the next execution; one an outstanding waiter
                // already took is lost with this execution, so the next starts with a relist (a lost
                // exit comes back from the runtime) and a sync (a lost deletion comes back from the store).
                Log.ContinuedAsNew(logger, context.InstanceId, turn);
                context.ContinueAsNew(state with { NeedsRelist = true }, preserveUnprocessedEvents: true);
                return null;
            }

            var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
            var plan = PodLifecycle.Plan(state, now);
            if (plan.Done)
            {
                return state.Pod.Name;
            }

            if (plan.HasWork)
            {
                try
                {
                    var result = await context.CallActivityAsync<SyncPodResult>(
                        SyncPodActivity.Name, new SyncPodRequest(state, plan.Commands), SyncRetry);
                    state = PodLifecycle.Apply(state, result.Outcomes);
                    state = state with { Settings = result.Settings, WrittenRevision = state.Revision };
                    continue;
                }
                catch (TaskFailedException e)
                {
                    // The kubelet retries a failed sync forever; so does this, on a durable timer.
                    var retryAt = now + FailedSyncDelay;
                    Log.SyncFailed(logger, context.InstanceId, retryAt, e.FailureDetails.ErrorMessage);
                    plan = plan with { WakeAt = plan.WakeAt is { } wake && wake < retryAt ? wake : retryAt };
                }
            }

            signal ??= context.WaitForExternalEvent<PodEvent>(PodSignal.EventName);
            if (plan.WakeAt is { } wakeAt)
            {
                using var cancelTimer = new CancellationTokenSource();
                var timer = context.CreateTimer(wakeAt.UtcDateTime, cancelTimer.Token);
                if (await Task.WhenAny(signal, timer) == timer)
                {
                    // Due (or, on the Azure Storage provider, up to a second early: Plan checks the
                    // time again and sets a new timer if nothing is due yet).
                    continue;
                }

                cancelTimer.Cancel();
            }

            var received = await signal;
            signal = null;
            state = PodLifecycle.Observe(state, received.Signal);
        }
    }
}
