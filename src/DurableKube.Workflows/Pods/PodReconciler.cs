using DurableKube.Domain.Kubelet;
using DurableKube.Workflows.Reconcile;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// The kubelet's decisions for the <see cref="ReconcileLoop"/>: <see cref="PodLifecycle"/> plans, the
/// <see cref="SyncPodActivity"/> acts (bind, sandbox, start, stop, remove, and the status in the same
/// round trip), signals from the node agent (exits) and the dispatcher (deletion) are observed.
/// </summary>
public sealed class PodReconciler : IReconciler<PodLifecycleState, PodEvent, SyncPodRequest, SyncPodResult>
{
    private PodReconciler()
    {
    }

    /// <summary>Gets the one instance (it holds no state).</summary>
    public static PodReconciler Instance { get; } = new();

    /// <inheritdoc />
    public string ActivityName => SyncPodActivity.Name;

    /// <inheritdoc />
    public string SignalName => PodSignal.EventName;

    /// <summary>Gets the turns of the loop (a signal, a timer, a sync) before the pod's workflow continues as new.</summary>
    public int TurnsPerExecution => 50;



    /// <inheritdoc />
    public LoopStep<SyncPodRequest> Plan(PodLifecycleState state, DateTimeOffset now)
    {
        var plan = PodLifecycle.Plan(state, now);
        if (plan.Done)
        {
            return LoopStep.Finished<SyncPodRequest>();
        }

        return plan.HasWork
            ? LoopStep.Act(new SyncPodRequest(state, plan.Commands), plan.WakeAt)
            : LoopStep.Wait<SyncPodRequest>(plan.WakeAt);
    }

    /// <inheritdoc />
    public PodLifecycleState Apply(PodLifecycleState state, SyncPodRequest work, SyncPodResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        var applied = PodLifecycle.Apply(state, result.Outcomes);
        return RunHistory.Record(applied with { Settings = result.Settings, WrittenRevision = applied.Revision });
    }

    /// <inheritdoc />
    public PodLifecycleState Observe(PodLifecycleState state, PodEvent signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return RunHistory.Record(PodLifecycle.Observe(state, signal.Signal));
    }

    /// <summary>The runs of every container and each pending restart, from the history the state keeps (<see cref="RunHistory"/>).</summary>
    /// <param name="state">The state.</param>
    /// <returns>The description the dashboard's restart timeline draws.</returns>
    public object? Describe(PodLifecycleState state) => RunHistory.Describe(state);

    /// <summary>A new execution starts with a relist (a lost exit comes back from the runtime) and a sync (a lost deletion comes back from the store).</summary>
    /// <param name="state">The state at continue-as-new.</param>
    /// <returns>The state to carry over.</returns>
    public PodLifecycleState Renew(PodLifecycleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { NeedsRelist = true };
    }
}
