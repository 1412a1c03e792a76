using DurableKube.Workflows.Reconcile;

namespace DurableKube.Workflows.GarbageCollection;

/// <summary>
/// The garbage collector's loop for one owner: look (<see cref="CollectGarbageActivity"/>) and, while a
/// foreground deletion waits for dependents, look again when one of them is removed or every
/// <see cref="PollInterval"/>.
/// </summary>
public sealed class GarbageCollectionReconciler : IReconciler<GarbageCollectionState, Wake, OwnerRef, bool>
{
    /// <summary>How long to wait between looks while dependents block a foreground deletion.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private GarbageCollectionReconciler()
    {
    }

    /// <summary>Gets the one instance (it holds no state).</summary>
    public static GarbageCollectionReconciler Instance { get; } = new();

    /// <inheritdoc />
    public string ActivityName => CollectGarbageActivity.Name;

    /// <inheritdoc />
    public string SignalName => Wake.EventName;

    /// <inheritdoc />
    public int TurnsPerExecution => 100;

    /// <inheritdoc />
    public LoopStep<OwnerRef> Plan(GarbageCollectionState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Done)
        {
            return LoopStep.Finished<OwnerRef>();
        }

        return state.NextLookAt is { } next && next > now ? LoopStep.Wait<OwnerRef>(next) : LoopStep.Act(state.Owner);
    }

    /// <inheritdoc />
    public GarbageCollectionState Apply(GarbageCollectionState state, OwnerRef work, bool result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { Done = result, NextLookAt = now + PollInterval };
    }

    /// <summary>A dependent went: look now.</summary>
    /// <param name="state">The state.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The state, due now.</returns>
    public GarbageCollectionState Observe(GarbageCollectionState state, Wake signal)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { NextLookAt = null };
    }

    /// <inheritdoc />
    public GarbageCollectionState Renew(GarbageCollectionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { NextLookAt = null };
    }
}
