using DurableKube.Domain.Resources;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.ReplicaSets;

/// <summary>
/// The ReplicaSet controller of one ReplicaSet (instance <c>rs-&lt;uid&gt;</c>): the <see cref="ReconcileLoop"/>
/// over a <see cref="ControllerReconciler"/> whose sync is the <see cref="SyncReplicaSetActivity"/>.
/// </summary>
public static class ReplicaSetController
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "ReplicaSetController";

    /// <summary>Gets the loop's decisions.</summary>
    public static ControllerReconciler Reconciler { get; } = new(SyncReplicaSetActivity.Name);

    /// <summary>Gets what the dispatcher needs to know of the kind: pods are what it controls and adopts, by its selector.</summary>
    public static ControllerDefinition Definition { get; } = new(
        ResourceTypes.ReplicaSets, Name, "rs-", ResourceTypes.Pods, obj => ((V1ReplicaSet)obj).Spec?.Selector);

    /// <summary>Keeps the ReplicaSet's pods as its spec asks, until it is gone.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The controller's state.</param>
    /// <returns>The ReplicaSet's name once it is gone; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<ControllerState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, Reconciler);
        return final?.Object.Name;
    }
}
