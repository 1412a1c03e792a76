using DurableKube.Workflows.Reconcile;

namespace DurableKube.Workflows.Namespaces;

/// <summary>
/// The namespace controller's decisions for one terminating namespace: look (delete what it holds, and
/// once nothing is left remove its <c>kubernetes</c> finalizer), and look again every
/// <see cref="PollInterval"/> until the namespace is gone.
/// </summary>
public sealed class NamespaceReconciler : IReconciler<NamespaceTermination, Wake, NamespaceRef, NamespaceSyncResult>
{
    /// <summary>How long to wait between looks at what is left.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private NamespaceReconciler()
    {
    }

    /// <summary>Gets the one instance (it holds no state).</summary>
    public static NamespaceReconciler Instance { get; } = new();

    /// <inheritdoc />
    public string ActivityName => SyncNamespaceActivity.Name;

    /// <inheritdoc />
    public string SignalName => Wake.EventName;

    /// <inheritdoc />
    public int TurnsPerExecution => 100;



    /// <inheritdoc />
    public LoopStep<NamespaceRef> Plan(NamespaceTermination state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Removed)
        {
            return LoopStep.Finished<NamespaceRef>();
        }

        return state.NextLookAt is { } next && next > now
            ? LoopStep.Wait<NamespaceRef>(next)
            : LoopStep.Act(state.Namespace);
    }

    /// <inheritdoc />
    public NamespaceTermination Apply(NamespaceTermination state, NamespaceRef work, NamespaceSyncResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(result);
        return state with { Remaining = result.Remaining, Removed = result.Removed, NextLookAt = now + PollInterval };
    }

    /// <summary>A wake-up means: look now.</summary>
    /// <param name="state">The state.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The state, due now.</returns>
    public NamespaceTermination Observe(NamespaceTermination state, Wake signal)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { NextLookAt = null };
    }

    /// <inheritdoc />
    public NamespaceTermination Renew(NamespaceTermination state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { NextLookAt = null };
    }
}
