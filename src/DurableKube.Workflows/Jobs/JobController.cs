using DurableKube.Domain.Resources;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.Jobs;

/// <summary>
/// The Job controller of one Job (instance <c>job-&lt;uid&gt;</c>): the <see cref="ReconcileLoop"/> over a
/// <see cref="ControllerReconciler"/> whose sync is the <see cref="SyncJobActivity"/>.
/// </summary>
public static class JobController
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "JobController";

    /// <summary>Gets the loop's decisions.</summary>
    public static ControllerReconciler Reconciler { get; } = new(SyncJobActivity.Name);

    /// <summary>Gets what the dispatcher needs to know of the kind: pods are what it controls and adopts, by its selector.</summary>
    public static ControllerDefinition Definition { get; } = new(
        ResourceTypes.Jobs, Name, "job-", ResourceTypes.Pods, obj => ((V1Job)obj).Spec?.Selector);

    /// <summary>Runs the Job's pods to completion, until the Job is gone.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The controller's state.</param>
    /// <returns>The Job's name once it is gone; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<ControllerState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, Reconciler);
        return final?.Object.Name;
    }
}
