using DurableKube.Workflows.Reconcile;

namespace DurableKube.Workflows.Controllers;

/// <summary>
/// The loop of every controller (ReplicaSet, Deployment, Job, StatefulSet, CronJob): sync when woken by a
/// change of the object or of what it controls, when the sync asked to look again at a given time, and at
/// least every <see cref="ResyncPeriod"/> unless the sync found nothing to watch; end when the object is gone. The sync is one idempotent activity
/// that reads the object and what it controls afresh each time, so a change lost anywhere is made up by the
/// next sync.
/// </summary>
/// <param name="activityName">The kind's sync activity.</param>
public sealed class ControllerReconciler(string activityName) : IReconciler<ControllerState, Wake, ControllerRef, ControllerSyncResult>
{
    /// <summary>The longest a controller goes without a sync, as an informer's periodic resync.</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public string ActivityName => activityName;

    /// <inheritdoc />
    public string SignalName => Wake.EventName;

    /// <inheritdoc />
    public int TurnsPerExecution => 100;

    /// <inheritdoc />
    public LoopStep<ControllerRef> Plan(ControllerState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Done)
        {
            return LoopStep.Finished<ControllerRef>();
        }

        if (state.Dirty)
        {
            return LoopStep.Act(state.Object);
        }

        // Not dirty and no time set: the last sync found nothing to watch, so only a wake brings the next.
        return state.NextSyncAt is not { } next ? LoopStep.Wait<ControllerRef>()
            : next <= now ? LoopStep.Act(state.Object)
            : LoopStep.Wait<ControllerRef>(next);
    }

    /// <inheritdoc />
    public ControllerState Apply(ControllerState state, ControllerRef work, ControllerSyncResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Gone)
        {
            return state with { Done = true, Dirty = false };
        }

        if (result.Idle)
        {
            return state with { Dirty = false, NextSyncAt = null };
        }

        var resync = now + ResyncPeriod;
        return state with
        {
            Dirty = result.MoreWork,
            NextSyncAt = result.RequeueAt is { } requeue && requeue < resync ? requeue : resync,
        };
    }

    /// <summary>
    /// Something the controller tends changed: sync, even after a sync that found nothing left to do (a wake sent while
    /// that sync ran may bring work it did not see; an object really gone is found gone again).
    /// </summary>
    /// <param name="state">The state.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The state, dirty.</returns>
    public ControllerState Observe(ControllerState state, Wake signal)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { Dirty = true, Done = false };
    }

    /// <summary>A new execution syncs first: a wake lost at continue-as-new is made up by it.</summary>
    /// <param name="state">The state at continue-as-new.</param>
    /// <returns>The state, dirty.</returns>
    public ControllerState Renew(ControllerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { Dirty = true };
    }
}
