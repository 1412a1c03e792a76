using DurableKube.Domain.Events;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Services;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Events;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using k8s;
using k8s.Models;

namespace DurableKube.Workflows.Services;

/// <summary>
/// One sync of a Service's endpoints (<c>syncService</c> of the endpoints and EndpointSlice controllers, <c>syncEndpoints</c>
/// of the EndpointSlice mirroring controller). A Service with a selector: reads it and the pods of its namespace, lets
/// <see cref="EndpointsSync"/> decide, and writes the Endpoints and the EndpointSlices that differ, deleting slices no
/// longer wanted. A Service without one: reads the Endpoints its user wrote, lets <see cref="EndpointSliceMirroring"/>
/// decide, and writes the mirrored slices that differ, deleting the others (all of them once the Endpoints is gone or
/// skips mirroring, or the Service gains a selector). Idempotent: slices have deterministic names and only what differs
/// from the store is written. A Service that is gone takes its Endpoints and mirrored slices with it (the endpoints
/// controller's slices go with the garbage collector, through their ownerReference). As Kubernetes' controllers, it
/// records events only when a write fails: <c>FailedToCreateEndpoint</c> or <c>FailedToUpdateEndpoint</c> on the Endpoints
/// (endpoint-controller), <c>FailedToUpdateEndpointSlices</c> on the Service (endpoint-slice-controller), none for a
/// namespace being deleted; and when addresses cannot be mirrored: <c>InvalidIPAddress</c>, <c>TooManyAddressesToMirror</c>
/// on the Endpoints (endpoint-slice-mirroring-controller).
/// </summary>
public sealed class SyncEndpointsActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncEndpoints";

    /// <summary>The component the endpoints controller's events name.</summary>
    public const string EndpointController = "endpoint-controller";

    /// <summary>The component the EndpointSlice controller's events name.</summary>
    public const string EndpointSliceController = "endpoint-slice-controller";

    /// <summary>The component the EndpointSlice mirroring controller's events name.</summary>
    public const string EndpointSliceMirroringController = "endpoint-slice-mirroring-controller";

    private readonly ObjectRegistry _registry;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncEndpointsActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="events">Where the controllers' events go; none if not given.</param>
    public SyncEndpointsActivity(ObjectRegistry registry, IEventRecorder? events = null)
    {
        _registry = registry;
        _events = events ?? NullEventRecorder.Instance;
    }

    /// <summary>Syncs the Service's endpoints once.</summary>
    /// <param name="reference">The Service.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Gone when the Service is gone, or neither controller tends it (an ExternalName Service with a selector); idle when it mirrors nothing.</returns>
    public async Task<ControllerSyncResult> RunAsync(ControllerRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var service = await _registry.GetAsync<V1Service>(ResourceTypes.Services, reference.Namespace, reference.Name, cancellationToken);
        if (service is null)
        {
            await DeleteAsync(new ObjectKey(ResourceTypes.Endpoints, reference.Namespace, reference.Name), null, cancellationToken);
            await DeleteAsync(await MirroredSlicesAsync(reference.Namespace, reference.Name, cancellationToken), cancellationToken);
            return ControllerSyncResult.ObjectGone;
        }

        if (service.Metadata.Uid != reference.Uid)
        {
            // Another Service of that name has its own controller.
            return ControllerSyncResult.ObjectGone;
        }

        if (EndpointSliceMirroring.Mirrors(service))
        {
            return await MirrorAsync(service, cancellationToken);
        }

        // A Service with a selector has no mirrored slices (it may have gained it since they were made).
        var slices = await SlicesAsync(reference.Namespace, reference.Name, cancellationToken);
        await DeleteAsync([.. slices.Where(Mirrored)], cancellationToken);
        if (!EndpointsSync.Manages(service))
        {
            return ControllerSyncResult.ObjectGone;
        }

        var pods = await _registry.ListAsync<V1Pod>(ResourceTypes.Pods, reference.Namespace, cancellationToken: cancellationToken);
        var plan = EndpointsSync.Plan(service, pods);
        await WriteEndpointsAsync(plan.Endpoints, cancellationToken);
        try
        {
            await WriteSlicesAsync([.. slices.Where(s => OwnerReferences.IsOwnedBy(s.Metadata, service.Metadata.Uid))], plan, cancellationToken);
        }
        catch (Exception e) when (Failed(e))
        {
            var meta = service.Metadata;
            _events.Record(new EventReport(EndpointSliceController, null, EventReport.Reference(service), EventReport.Warning, "FailedToUpdateEndpointSlices",
                $"Error updating Endpoint Slices for Service {meta.NamespaceProperty}/{meta.Name}: {e.Message}"));
            throw;
        }

        return new ControllerSyncResult(Gone: false);
    }

    /// <summary>
    /// The EndpointSlice mirroring controller's <c>syncEndpoints</c> for a Service without selector: the slices that
    /// mirror its Endpoints, written where they differ, the others deleted (all of them when the Endpoints is gone or
    /// not to be mirrored). Idle when nothing is mirrored: the Endpoints' next change wakes the controller.
    /// </summary>
    private async Task<ControllerSyncResult> MirrorAsync(V1Service service, CancellationToken cancellationToken)
    {
        var meta = service.Metadata;
        var existing = await MirroredSlicesAsync(meta.NamespaceProperty, meta.Name, cancellationToken);
        var endpoints = await _registry.GetAsync<V1Endpoints>(ResourceTypes.Endpoints, meta.NamespaceProperty, meta.Name, cancellationToken);
        var plan = EndpointSliceMirroring.ShouldMirror(endpoints) ? EndpointSliceMirroring.Plan(endpoints!) : MirrorPlan.None;
        if (plan.InvalidAddresses > 0)
        {
            _events.Record(new EventReport(EndpointSliceMirroringController, null, EventReport.Reference(endpoints!), EventReport.Warning, "InvalidIPAddress",
                $"Skipped {plan.InvalidAddresses} invalid IP addresses when mirroring to EndpointSlices"));
        }

        if (plan.SkippedAddresses > plan.InvalidAddresses)
        {
            _events.Record(new EventReport(EndpointSliceMirroringController, null, EventReport.Reference(endpoints!), EventReport.Warning, "TooManyAddressesToMirror",
                $"A max of {EndpointSliceMirroring.MaxEndpointsPerSubset} addresses can be mirrored to EndpointSlices per Endpoints subset. {plan.SkippedAddresses} addresses were skipped"));
        }

        try
        {
            foreach (var slice in endpoints?.Metadata.DeletionTimestamp is null ? plan.Slices : [])
            {
                await WriteSliceAsync(slice, existing.FirstOrDefault(s => s.Metadata.Name == slice.Metadata.Name), cancellationToken);
            }
        }
        catch (ObjectRejectedException e) when (e.Cause?.Reason == RejectionCause.NamespaceTerminating)
        {
            // As the controller: creates will keep failing in a namespace being deleted, which takes everything with it.
            return ControllerSyncResult.Idling;
        }

        await DeleteAsync([.. existing.Where(s => plan.Slices.All(p => p.Metadata.Name != s.Metadata.Name))], cancellationToken);
        return plan.Slices.Count == 0 ? ControllerSyncResult.Idling : new ControllerSyncResult(Gone: false);
    }

    /// <summary>The slices the mirroring controller made for a Service's Endpoints (<c>endpointSlicesMirroredForService</c>).</summary>
    private async Task<IReadOnlyList<V1EndpointSlice>> MirroredSlicesAsync(string? @namespace, string name, CancellationToken cancellationToken) =>
        [.. (await SlicesAsync(@namespace, name, cancellationToken)).Where(Mirrored)];

    /// <summary>The slices labelled with a Service's name, whoever made them.</summary>
    private Task<IReadOnlyList<V1EndpointSlice>> SlicesAsync(string? @namespace, string name, CancellationToken cancellationToken) =>
        _registry.ListAsync<V1EndpointSlice>(
            ResourceTypes.EndpointSlices,
            @namespace,
            s => s.Metadata.Labels?.TryGetValue(EndpointsSync.ServiceNameLabel, out var service) == true && service == name,
            cancellationToken);

    private static bool Mirrored(V1EndpointSlice slice) =>
        slice.Metadata.Labels?.TryGetValue(EndpointsSync.ManagedByLabel, out var managedBy) == true && managedBy == EndpointSliceMirroring.ManagedBy;

    private async Task DeleteAsync(IReadOnlyList<V1EndpointSlice> slices, CancellationToken cancellationToken)
    {
        foreach (var slice in slices)
        {
            await DeleteAsync(new ObjectKey(ResourceTypes.EndpointSlices, slice.Metadata.NamespaceProperty, slice.Metadata.Name), slice.Metadata.Uid, cancellationToken);
        }
    }

    /// <summary>A write that failed for a reason worth an event: not a namespace being deleted (the controllers drop those quietly).</summary>
    private static bool Failed(Exception e) =>
        e is StoreException || (e is ObjectRejectedException rejected && rejected.Cause?.Reason != RejectionCause.NamespaceTerminating);

    private async Task WriteSlicesAsync(IReadOnlyList<V1EndpointSlice> existing, EndpointsPlan plan, CancellationToken cancellationToken)
    {
        foreach (var slice in plan.Slices)
        {
            await WriteSliceAsync(slice, existing.FirstOrDefault(s => s.Metadata.Name == slice.Metadata.Name), cancellationToken);
        }

        await DeleteAsync([.. existing.Where(s => plan.Slices.All(p => p.Metadata.Name != s.Metadata.Name))], cancellationToken);
    }

    private async Task WriteEndpointsAsync(V1Endpoints wanted, CancellationToken cancellationToken)
    {
        var key = new ObjectKey(ResourceTypes.Endpoints, wanted.Metadata.NamespaceProperty, wanted.Metadata.Name);
        var current = await _registry.GetAsync(key, cancellationToken) as V1Endpoints;
        if (current is not null && Same(current.Subsets, wanted.Subsets) && Same(current.Metadata.Labels, wanted.Metadata.Labels))
        {
            return;
        }

        try
        {
            if (current is null)
            {
                await CreateAsync(ResourceTypes.Endpoints, wanted, cancellationToken);
                return;
            }

            await UpdateAsync(key, obj =>
            {
                var endpoints = (V1Endpoints)obj;
                endpoints.Subsets = wanted.Subsets;
                endpoints.Metadata.Labels = wanted.Metadata.Labels;
                return endpoints;
            }, cancellationToken);
        }
        catch (Exception e) when (Failed(e))
        {
            var (reason, message) = current is null
                ? ("FailedToCreateEndpoint", $"Failed to create endpoint for service {key.Namespace}/{key.Name}: {e.Message}")
                : ("FailedToUpdateEndpoint", $"Failed to update endpoint {key.Namespace}/{key.Name}: {e.Message}");
            _events.Record(new EventReport(EndpointController, null, EventReport.Reference((IKubernetesObject<V1ObjectMeta>?)current ?? wanted), EventReport.Warning, reason, message));
            throw;
        }
    }

    private async Task WriteSliceAsync(V1EndpointSlice wanted, V1EndpointSlice? current, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            await CreateAsync(ResourceTypes.EndpointSlices, wanted, cancellationToken);
            return;
        }

        if (Same(current.Endpoints, wanted.Endpoints) && Same(current.Ports, wanted.Ports) && Same(current.Metadata.Labels, wanted.Metadata.Labels)
            && Same(current.Metadata.Annotations, wanted.Metadata.Annotations) && Same(current.Metadata.OwnerReferences, wanted.Metadata.OwnerReferences))
        {
            return;
        }

        await UpdateAsync(new ObjectKey(ResourceTypes.EndpointSlices, current.Metadata.NamespaceProperty, current.Metadata.Name), obj =>
        {
            var slice = (V1EndpointSlice)obj;
            slice.Endpoints = wanted.Endpoints;
            slice.Ports = wanted.Ports;
            slice.Metadata.Labels = wanted.Metadata.Labels;
            slice.Metadata.Annotations = wanted.Metadata.Annotations;
            slice.Metadata.OwnerReferences = wanted.Metadata.OwnerReferences;
            return slice;
        }, cancellationToken);
    }

    private async Task CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.CreateAsync(type, obj, cancellationToken: cancellationToken);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
        {
            // A retried sync made it already; the next sync compares it.
        }
    }

    private async Task UpdateAsync(ObjectKey key, Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>?> build, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.UpdateAsync(key, build, cancellationToken: cancellationToken);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            // Deleted meanwhile: the next sync creates it again.
        }
    }

    private async Task DeleteAsync(ObjectKey key, string? uid, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.DeleteAsync(key, uid is null ? null : DeleteOptions.ForUid(uid), cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already, or replaced.
        }
    }

    /// <summary>Compares two parts of an object as JSON, an empty list or map being the same as none.</summary>
    private static bool Same(object? a, object? b) => Normal(a) == Normal(b);

    private static string Normal(object? value)
    {
        var text = value is null ? string.Empty : KubeJson.Serialize(value);
        return text is "[]" or "{}" or "null" ? string.Empty : text;
    }
}
