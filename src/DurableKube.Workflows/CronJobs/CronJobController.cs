using DurableKube.Domain.Resources;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.CronJobs;

/// <summary>
/// The CronJob controller of one CronJob (instance <c>cronjob-&lt;uid&gt;</c>): the <see cref="ReconcileLoop"/> over a
/// <see cref="ControllerReconciler"/> whose sync is the <see cref="SyncCronJobActivity"/>; its next run waits on a durable
/// timer (the sync's <c>RequeueAt</c> is the next scheduled time).
/// </summary>
public static class CronJobController
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "CronJobController";

    /// <summary>Gets the loop's decisions.</summary>
    public static ControllerReconciler Reconciler { get; } = new(SyncCronJobActivity.Name);

    /// <summary>Gets what the dispatcher needs to know of the kind: it controls Jobs and adopts none.</summary>
    public static ControllerDefinition Definition { get; } = new(ResourceTypes.CronJobs, Name, "cronjob-", ResourceTypes.Jobs, null);

    /// <summary>Makes the CronJob's Jobs on its schedule, until it is gone.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The controller's state.</param>
    /// <returns>The CronJob's name once it is gone; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<ControllerState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, Reconciler);
        return final?.Object.Name;
    }
}
