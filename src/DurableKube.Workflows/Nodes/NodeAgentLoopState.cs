using DurableKube.Workflows.Reconcile;

namespace DurableKube.Workflows.Nodes;

/// <summary>What a node's <see cref="NodeAgentLoop"/> starts from.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="Timings">How the observation activity is retried; <see cref="ReconcileTimings.Default"/> when not given.</param>
public sealed record NodeAgentLoopState(string Node, ReconcileTimings? Timings = null)
{
    /// <summary>Gets how long to wait after an observation that failed all its retries.</summary>
    public TimeSpan RetryIn => (Timings ?? ReconcileTimings.Default).FailedWorkDelay;
}
