using DurableKube.Domain.Changes;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Services;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Services;

/// <summary>
/// The dispatcher's handler of Services (the endpoints controllers' and the EndpointSlice mirroring controller's
/// informers): a Service's own change wakes its <see cref="EndpointsController"/>, starting it for a Service either
/// controller tends (<see cref="Tends"/>); a pod's change that can move it in or out of a Service (created, removed, its
/// labels, address, Ready condition, phase or deletion) wakes the controllers of the Services of its namespace that
/// select it now, or whose Endpoints name it (those that selected it before); a change of an Endpoints a user keeps
/// (<see cref="ChangeFacets.Mirrored"/>) wakes the controller of its Service, if that Service has no selector.
/// </summary>
public sealed class ServiceChangeHandler : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly IOptionsMonitor<ReconcileOptions> _reconcile;
    private readonly ILogger<ServiceChangeHandler> _logger;

    /// <summary>Initializes a new instance of the <see cref="ServiceChangeHandler"/> class.</summary>
    /// <param name="store">The objects, read only.</param>
    /// <param name="reconcile">How new controller workflows retry failed work.</param>
    /// <param name="logger">The logger.</param>
    public ServiceChangeHandler(IObjectStore store, IOptionsMonitor<ReconcileOptions> reconcile, ILogger<ServiceChangeHandler> logger)
    {
        _store = store;
        _reconcile = reconcile;
        _logger = logger;
    }

    /// <inheritdoc />
    public ResourceType? Kind => ResourceTypes.Services;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches { get; } = [ResourceTypes.Pods, ResourceTypes.Endpoints];

    /// <summary>Whether a Service has a controller: the endpoints controllers' (a selector) or the mirroring controller's (none).</summary>
    /// <param name="service">The Service.</param>
    /// <returns>Whether it does: all but an ExternalName Service with a selector.</returns>
    public static bool Tends(V1Service service) => EndpointsSync.Manages(service) || EndpointSliceMirroring.Mirrors(service);

    /// <summary>
    /// Of a Service: anything but a status write. Of a pod: its creation or removal, or a write that changed its labels,
    /// what makes it serve (<see cref="ChangeFacets.Serving"/>) or its deletion. Of an Endpoints: its creation or removal, or a
    /// write of one that is mirrored (<see cref="ChangeFacets.Mirrored"/>), never the endpoints controller's own updates. Of an
    /// EndpointSlice a Service owns: nothing (the controller's own writes).
    /// </summary>
    /// <param name="change">The change.</param>
    /// <returns>Whether to wake a controller for it.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Resource == ResourceTypes.Services.GroupResource)
        {
            return change.Type != ObjectChangeType.Modified || (change.Facets & ~ChangeFacets.Status) != ChangeFacets.None;
        }

        if (change.Resource == ResourceTypes.Pods.GroupResource)
        {
            return change.Type != ObjectChangeType.Modified
                || (change.Facets & (ChangeFacets.Labels | ChangeFacets.Serving | ChangeFacets.Deletion)) != ChangeFacets.None;
        }

        if (change.Resource == ResourceTypes.Endpoints.GroupResource)
        {
            return change.Type != ObjectChangeType.Modified || (change.Facets & ChangeFacets.Mirrored) != ChangeFacets.None;
        }

        return false;
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflows);
        var reason = $"{change.Type} {change.Resource} {change.Namespace}/{change.Name}";
        if (change.Resource == ResourceTypes.Services.GroupResource)
        {
            var instanceId = EndpointsController.Definition.InstanceIdFor(change.Uid);
            if (await workflows.GetStateAsync(instanceId, cancellationToken) == WorkflowInstanceState.Running)
            {
                await workflows.RaiseEventAsync(instanceId, Wake.EventName, new Wake(reason), cancellationToken);
                return;
            }

            if (await _store.GetAsync(new ObjectKey(ResourceTypes.Services, change.Namespace, change.Name), cancellationToken) is V1Service service
                && service.Metadata.Uid == change.Uid)
            {
                await EnsureAsync(workflows, service, reason, cancellationToken);
            }

            return;
        }

        if (change.Resource == ResourceTypes.Endpoints.GroupResource)
        {
            // One reconcile per Service: the Endpoints' change goes to its Service's controller, which mirrors it if the
            // Service has no selector (one with a selector writes its Endpoints itself; without a Service nothing is mirrored).
            if (await _store.GetAsync(new ObjectKey(ResourceTypes.Services, change.Namespace, change.Name), cancellationToken) is V1Service owner
                && EndpointSliceMirroring.Mirrors(owner))
            {
                await EnsureAsync(workflows, owner, reason, cancellationToken);
            }

            return;
        }

        if (change.Resource != ResourceTypes.Pods.GroupResource)
        {
            return;
        }

        var pod = await _store.GetAsync(new ObjectKey(ResourceTypes.Pods, change.Namespace, change.Name), cancellationToken) as V1Pod;
        if (pod?.Metadata.Uid != change.Uid)
        {
            pod = null;
            if (change.Type != ObjectChangeType.Deleted)
            {
                // Gone or replaced since: the removal's own change (or the new pod's) follows.
                return;
            }
        }

        var services = (await _store.ListAsync(ResourceTypes.Services, change.Namespace, ListQuery.All, cancellationToken))
            .Items.Cast<V1Service>().Where(EndpointsSync.Manages).ToList();
        if (services.Count == 0)
        {
            return;
        }

        // The Services that selected the pod before the write: only a removal or a change of its labels can leave one
        // behind, and their Endpoints name the pod.
        var naming = new HashSet<string>(StringComparer.Ordinal);
        if (pod is null || (change.Facets & ChangeFacets.Labels) != ChangeFacets.None)
        {
            var endpoints = await _store.ListAsync(ResourceTypes.Endpoints, change.Namespace, ListQuery.All, cancellationToken);
            naming.UnionWith(endpoints.Items.Cast<V1Endpoints>()
                .Where(e => (e.Subsets ?? []).SelectMany(s => (s.Addresses ?? []).Concat(s.NotReadyAddresses ?? [])).Any(a => a.TargetRef?.Name == change.Name))
                .Select(e => e.Metadata.Name));
        }

        foreach (var service in services)
        {
            var selectsNow = pod is not null && EndpointsSync.Selects(service, pod.Metadata.Labels);
            if (selectsNow || naming.Contains(service.Metadata.Name))
            {
                await EnsureAsync(workflows, service, reason, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public async Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var services = await _store.ListAsync(ResourceTypes.Services, null, ListQuery.All, cancellationToken);
        foreach (var service in services.Items.Cast<V1Service>().Where(Tends))
        {
            await EnsureAsync(workflows, service, reason: null, cancellationToken);
        }

        return services.Items.Count;
    }

    /// <summary>Starts the Service's controller if it is tended and none runs, or wakes the running one.</summary>
    private async Task EnsureAsync(IWorkflowClient workflows, V1Service service, string? reason, CancellationToken cancellationToken)
    {
        if (!Tends(service))
        {
            return;
        }

        var meta = service.Metadata;
        var instanceId = EndpointsController.Definition.InstanceIdFor(meta.Uid);
        var reference = new ControllerRef(ResourceTypes.Services.GroupResource, meta.NamespaceProperty, meta.Name, meta.Uid);
        var (found, started) = await workflows.EnsureRunningAsync(
            new WorkflowStart(
                EndpointsController.Name,
                instanceId,
                () => new ReconcileInput<ControllerState>(new ControllerState(reference), Timings: _reconcile.CurrentValue.ToTimings()),
                CompletedNeedsRestart: true,
                ResourceTypes.Services.GroupResource,
                meta.NamespaceProperty,
                meta.Name),
            _logger,
            cancellationToken);
        if (!started && reason is not null && found == WorkflowInstanceState.Running)
        {
            await workflows.RaiseEventAsync(instanceId, Wake.EventName, new Wake(reason), cancellationToken);
        }
    }
}
