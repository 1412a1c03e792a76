using DurableKube.Domain.Resources;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.StatefulSets;

/// <summary>
/// The StatefulSet controller of one StatefulSet (instance <c>sts-&lt;uid&gt;</c>): the <see cref="ReconcileLoop"/>
/// over a <see cref="ControllerReconciler"/> whose sync is the <see cref="SyncStatefulSetActivity"/>.
/// </summary>
public static class StatefulSetController
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "StatefulSetController";

    /// <summary>Gets the loop's decisions.</summary>
    public static ControllerReconciler Reconciler { get; } = new(SyncStatefulSetActivity.Name);

    /// <summary>
    /// Gets what the dispatcher needs to know of the kind: pods are what it controls and adopts, by its selector (the sync
    /// adopts only those whose names are of its ordinals).
    /// </summary>
    public static ControllerDefinition Definition { get; } = new(
        ResourceTypes.StatefulSets, Name, "sts-", ResourceTypes.Pods, obj => ((V1StatefulSet)obj).Spec?.Selector);

    /// <summary>Keeps the StatefulSet's pods as its spec asks, until it is gone.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The controller's state.</param>
    /// <returns>The StatefulSet's name once it is gone; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<ControllerState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, Reconciler);
        return final?.Object.Name;
    }
}
