using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Services;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.Tests.Events;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests.Services;

/// <summary>
/// One sync of a Service without selector mirrors the Endpoints its user writes into EndpointSlices (the EndpointSlice
/// mirroring controller's <c>syncEndpoints</c>), and takes them away when the Endpoints goes or opts out, the Service goes
/// or gains a selector.
/// </summary>
public sealed class EndpointSliceMirroringSyncTests
{
    private readonly InMemoryObjectStore _store = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly ObjectRegistry _registry;
    private readonly SyncEndpointsActivity _activity;

    public EndpointSliceMirroringSyncTests()
    {
        _registry = new ObjectRegistry(_store, BuiltInKinds.Registry(), [], TimeProvider.System, NullLogger<ObjectRegistry>.Instance);
        _activity = new SyncEndpointsActivity(_registry, _events);
    }

    /// <summary>Refuses slices as the registry refuses a create in a namespace being deleted.</summary>
    private sealed class NamespaceTerminating : IWriteHook
    {
        public ValueTask BeforeWriteAsync(ObjectWrite write, CancellationToken cancellationToken) =>
            write.Kind.Type == ResourceTypes.EndpointSlices
                ? throw new ObjectRejectedException(RejectionReason.Forbidden, write.Kind.Type, write.Object.Metadata.Name, "namespace shop is being terminated",
                    cause: new RejectionCause(RejectionCause.NamespaceTerminating, "namespace shop is being terminated", "metadata.namespace"))
                : ValueTask.CompletedTask;
    }

    private async Task<ControllerRef> ServiceAsync(Dictionary<string, string>? selector = null)
    {
        await _store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "shop", Uid = "ns-1" } });
        var service = (V1Service)await _registry.CreateAsync(ResourceTypes.Services, new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "ext", NamespaceProperty = "shop" },
            Spec = new V1ServiceSpec { Selector = selector, Ports = [new V1ServicePort { Name = "http", Port = 80 }] },
        });
        return new ControllerRef(ResourceTypes.Services.GroupResource, "shop", "ext", service.Metadata.Uid);
    }

    private async Task WriteEndpointsAsync(Dictionary<string, string>? labels = null, int port = 8080, params string[] ips)
    {
        var subsets = new List<V1EndpointSubset> { new() { Addresses = [.. ips.Select(ip => new V1EndpointAddress { Ip = ip })], Ports = [new Corev1EndpointPort { Name = "http", Port = port }] } };
        var key = new ObjectKey(ResourceTypes.Endpoints, "shop", "ext");
        if (await _registry.GetAsync(key) is null)
        {
            await _registry.CreateAsync(ResourceTypes.Endpoints, new V1Endpoints { Metadata = new V1ObjectMeta { Name = "ext", NamespaceProperty = "shop", Labels = labels }, Subsets = subsets });
            return;
        }

        await _registry.UpdateAsync(key, obj =>
        {
            var endpoints = (V1Endpoints)obj;
            endpoints.Subsets = subsets;
            endpoints.Metadata.Labels = labels;
            return endpoints;
        });
    }

    private async Task<List<V1EndpointSlice>> SlicesAsync() =>
        [.. (await _store.ListAsync(ResourceTypes.EndpointSlices, "shop", ListQuery.All)).Items.Cast<V1EndpointSlice>()];

    private static string Addresses(V1EndpointSlice slice) => string.Join(",", slice.Endpoints.Select(e => e.Addresses[0]));

    [Fact]
    public async Task The_Endpoints_of_a_Service_without_selector_are_mirrored_and_followed()
    {
        var reference = await ServiceAsync();
        Assert.Equal(ControllerSyncResult.Idling, await _activity.RunAsync(reference));
        Assert.Empty(await SlicesAsync());

        await WriteEndpointsAsync(ips: ["192.0.2.1", "192.0.2.2"]);
        var result = await _activity.RunAsync(reference);

        Assert.Equal(new ControllerSyncResult(Gone: false), result);
        var slice = Assert.Single(await SlicesAsync());
        Assert.Equal("192.0.2.1,192.0.2.2", Addresses(slice));
        Assert.Equal(("ext", EndpointSliceMirroring.ManagedBy), (slice.Metadata.Labels[EndpointsSync.ServiceNameLabel], slice.Metadata.Labels[EndpointsSync.ManagedByLabel]));
        var endpoints = (V1Endpoints)(await _store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, "shop", "ext")))!;
        Assert.Equal(("Endpoints", endpoints.Metadata.Uid), (slice.Metadata.OwnerReferences[0].Kind, slice.Metadata.OwnerReferences[0].Uid));
        Assert.Empty(_events.Reports);

        // Nothing changed: nothing written.
        await _activity.RunAsync(reference);
        Assert.Equal(slice.Metadata.ResourceVersion, Assert.Single(await SlicesAsync()).Metadata.ResourceVersion);

        await WriteEndpointsAsync(ips: ["192.0.2.3"]);
        await _activity.RunAsync(reference);
        var updated = Assert.Single(await SlicesAsync());
        Assert.Equal((slice.Metadata.Name, "192.0.2.3"), (updated.Metadata.Name, Addresses(updated)));

        // Other ports: another slice in place of the first.
        await WriteEndpointsAsync(port: 9090, ips: ["192.0.2.3"]);
        await _activity.RunAsync(reference);
        var moved = Assert.Single(await SlicesAsync());
        Assert.NotEqual(slice.Metadata.Name, moved.Metadata.Name);
        Assert.Equal(9090, moved.Ports[0].Port);

        await _registry.DeleteAsync(new ObjectKey(ResourceTypes.Endpoints, "shop", "ext"));
        Assert.Equal(ControllerSyncResult.Idling, await _activity.RunAsync(reference));
        Assert.Empty(await SlicesAsync());
    }

    [Fact]
    public async Task Endpoints_labelled_skip_mirror_lose_their_slices()
    {
        var reference = await ServiceAsync();
        await WriteEndpointsAsync(ips: ["192.0.2.1"]);
        await _activity.RunAsync(reference);
        Assert.Single(await SlicesAsync());

        await WriteEndpointsAsync(new Dictionary<string, string> { [EndpointSliceMirroring.SkipMirrorLabel] = "true" }, ips: ["192.0.2.1"]);

        Assert.Equal(ControllerSyncResult.Idling, await _activity.RunAsync(reference));
        Assert.Empty(await SlicesAsync());
    }

    [Fact]
    public async Task A_Service_that_gains_a_selector_loses_its_mirrored_slices_to_the_endpoints_controllers()
    {
        var reference = await ServiceAsync();
        await WriteEndpointsAsync(ips: ["192.0.2.1"]);
        await _activity.RunAsync(reference);
        var mirrored = Assert.Single(await SlicesAsync());

        await _registry.UpdateAsync(new ObjectKey(ResourceTypes.Services, "shop", "ext"), obj =>
        {
            ((V1Service)obj).Spec.Selector = new Dictionary<string, string> { ["app"] = "web" };
            return obj;
        });
        await _activity.RunAsync(reference);

        var slice = Assert.Single(await SlicesAsync());
        Assert.NotEqual(mirrored.Metadata.Name, slice.Metadata.Name);
        Assert.Equal(EndpointsSync.ManagedBy, slice.Metadata.Labels[EndpointsSync.ManagedByLabel]);
        var endpoints = (V1Endpoints)(await _store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, "shop", "ext")))!;
        Assert.Empty(endpoints.Subsets ?? []);
    }

    [Fact]
    public async Task A_deleted_Service_takes_its_Endpoints_and_mirrored_slices_with_it()
    {
        var reference = await ServiceAsync();
        await WriteEndpointsAsync(ips: ["192.0.2.1"]);
        await _activity.RunAsync(reference);
        Assert.Single(await SlicesAsync());

        await _registry.DeleteAsync(new ObjectKey(ResourceTypes.Services, "shop", "ext"));

        Assert.Equal(ControllerSyncResult.ObjectGone, await _activity.RunAsync(reference));
        Assert.Empty(await SlicesAsync());
        Assert.Null(await _store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, "shop", "ext")));
    }

    [Fact]
    public async Task Addresses_that_are_no_IPs_are_skipped_with_the_mirroring_controllers_warning_on_the_Endpoints()
    {
        var reference = await ServiceAsync();
        await WriteEndpointsAsync(ips: ["192.0.2.1", "db.example", "192.0.2.300"]);

        await _activity.RunAsync(reference);

        Assert.Equal("192.0.2.1", Addresses(Assert.Single(await SlicesAsync())));
        var report = Assert.Single(_events.Reports);
        Assert.Equal("InvalidIPAddress Skipped 2 invalid IP addresses when mirroring to EndpointSlices", $"{report.Reason} {report.Message}");
        Assert.Equal(("endpoint-slice-mirroring-controller", "Warning", "Endpoints", "ext"), (report.Component, report.Type, report.Regarding.Kind, report.Regarding.Name));
    }

    [Fact]
    public async Task In_a_namespace_being_deleted_the_refused_slices_are_dropped_quietly()
    {
        var reference = await ServiceAsync();
        await WriteEndpointsAsync(ips: ["192.0.2.1"]);
        var refused = new SyncEndpointsActivity(new ObjectRegistry(_store, BuiltInKinds.Registry(), [new NamespaceTerminating()], TimeProvider.System, NullLogger<ObjectRegistry>.Instance), _events);

        Assert.Equal(ControllerSyncResult.Idling, await refused.RunAsync(reference));
        Assert.Empty(await SlicesAsync());
        Assert.Empty(_events.Reports);
    }
}
