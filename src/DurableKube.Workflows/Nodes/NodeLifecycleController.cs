using DurableKube.Domain.Resources;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.Nodes;

/// <summary>
/// The node lifecycle controller of one node (instance <c>nodelc-&lt;uid&gt;</c>; Kubernetes' node lifecycle controller and
/// taint manager for that node): the <see cref="ReconcileLoop"/> over a <see cref="ControllerReconciler"/> whose sync is the
/// <see cref="SyncNodeLifecycleActivity"/>. It sleeps on a durable timer until the node's grace period would end or a pod's
/// toleration runs out, or for a wake while nothing is left to watch, and ends when the node is gone (never before: a wake
/// raised at the moment it completed would be dropped with it).
/// </summary>
public static class NodeLifecycleController
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "NodeLifecycleController";

    /// <summary>Gets the loop's decisions.</summary>
    public static ControllerReconciler Reconciler { get; } = new(SyncNodeLifecycleActivity.Name);

    /// <summary>Gets the kind, the orchestration and its instance ids; it controls no pods through ownerReferences.</summary>
    public static ControllerDefinition Definition { get; } = new(ResourceTypes.Nodes, Name, "nodelc-", ResourceTypes.Pods, null);

    /// <summary>Watches the node until it is gone.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The controller's state.</param>
    /// <returns>The node's name once done; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<ControllerState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, Reconciler);
        return final?.Object.Name;
    }
}
