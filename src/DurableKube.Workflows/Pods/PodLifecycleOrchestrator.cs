using DurableKube.Domain.Kubelet;
using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// The kubelet of one pod, as a durable orchestration (instance id <c>pod-&lt;uid&gt;</c>): the
/// <see cref="ReconcileLoop"/> over the <see cref="PodReconciler"/>. It decides nothing itself; between
/// steps it waits on a durable timer (a restart falling due, a grace period ending) or for a signal (a
/// container exit from the node agent, a deletion from the dispatcher).
/// </summary>
public static class PodLifecycleOrchestrator
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "PodLifecycle";

    /// <summary>Runs the pod's lifecycle until its object is removed.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The pod's lifecycle state: the initial one, or the one carried over by continue-as-new.</param>
    /// <returns>The name of the pod once it is gone; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<PodLifecycleState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, PodReconciler.Instance);
        return final?.Pod.Name;
    }
}
