using DurableKube.Domain.Resources;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.Services;

/// <summary>
/// The endpoints controller of one Service (instance <c>svc-&lt;uid&gt;</c>; Kubernetes' endpoints and EndpointSlice
/// controllers for that Service, and its EndpointSlice mirroring controller while the Service has no selector): the
/// <see cref="ReconcileLoop"/> over a <see cref="ControllerReconciler"/> whose sync is the <see cref="SyncEndpointsActivity"/>.
/// It runs while the Service exists (not an ExternalName one with a selector, which neither controller tends), idle
/// without a timer while it has nothing to mirror.
/// </summary>
public static class EndpointsController
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "EndpointsController";

    /// <summary>Gets the loop's decisions.</summary>
    public static ControllerReconciler Reconciler { get; } = new(SyncEndpointsActivity.Name);

    /// <summary>Gets the kind, the orchestration and its instance ids; EndpointSlices are what it owns (it adopts nothing).</summary>
    public static ControllerDefinition Definition { get; } = new(ResourceTypes.Services, Name, "svc-", ResourceTypes.EndpointSlices, null);

    /// <summary>Keeps the Service's Endpoints and EndpointSlices equal to its selected pods, or its slices equal to the Endpoints its user writes, until it is gone.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The controller's state.</param>
    /// <returns>The Service's name once done; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<ControllerState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, Reconciler);
        return final?.Object.Name;
    }
}
