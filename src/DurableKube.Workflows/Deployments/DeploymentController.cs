using DurableKube.Domain.Resources;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.Deployments;

/// <summary>
/// The Deployment controller of one Deployment (instance <c>deploy-&lt;uid&gt;</c>): the <see cref="ReconcileLoop"/> over a
/// <see cref="ControllerReconciler"/> whose sync is the <see cref="SyncDeploymentActivity"/>. Its ReplicaSets' status
/// writes wake it (they are its dependents), and the progress deadline is a requeue time.
/// </summary>
public static class DeploymentController
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "DeploymentController";

    /// <summary>Gets the loop's decisions.</summary>
    public static ControllerReconciler Reconciler { get; } = new(SyncDeploymentActivity.Name);

    /// <summary>Gets what the dispatcher needs to know of the kind: ReplicaSets are what it controls and adopts, by its selector.</summary>
    public static ControllerDefinition Definition { get; } = new(
        ResourceTypes.Deployments, Name, "deploy-", ResourceTypes.ReplicaSets, obj => ((V1Deployment)obj).Spec?.Selector);

    /// <summary>Rolls the Deployment's ReplicaSets as its spec asks, until it is gone.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The controller's state.</param>
    /// <returns>The Deployment's name once it is gone; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<ControllerState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, Reconciler);
        return final?.Object.Name;
    }
}
