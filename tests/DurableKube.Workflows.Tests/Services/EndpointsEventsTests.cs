using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
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
/// The endpoints and EndpointSlice controllers record events as Kubernetes' do: only when a write fails
/// (FailedToCreateEndpoint, FailedToUpdateEndpoint on the Endpoints; FailedToUpdateEndpointSlices on the Service), never for
/// a namespace being deleted, and nothing for a sync that succeeds.
/// </summary>
public sealed class EndpointsEventsTests
{
    private readonly InMemoryObjectStore _store = new();
    private readonly RecordingEventRecorder _events = new();

    /// <summary>Refuses writes of one kind, as an admission hook or a failing store would.</summary>
    private sealed class Refuse(ResourceType type, RejectionCause? cause = null) : IWriteHook
    {
        public ValueTask BeforeWriteAsync(ObjectWrite write, CancellationToken cancellationToken) =>
            write.Kind.Type == type
                ? throw new ObjectRejectedException(RejectionReason.Forbidden, type, write.Object.Metadata.Name, "refused by the test", cause: cause)
                : ValueTask.CompletedTask;
    }

    private SyncEndpointsActivity Activity(IWriteHook? hook) =>
        new(new ObjectRegistry(_store, BuiltInKinds.Registry(), hook is null ? [] : [hook], TimeProvider.System, NullLogger<ObjectRegistry>.Instance), _events);

    private async Task<ControllerRef> ServiceAsync(bool withEndpoints = false)
    {
        await _store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "default", Uid = "ns-1" } });
        await _store.CreateAsync(ResourceTypes.Services, new V1Service
        {
            ApiVersion = "v1", Kind = "Service",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "svc-1" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 80 }] },
        });
        if (withEndpoints)
        {
            // Stale Endpoints the sync must update.
            await _store.CreateAsync(ResourceTypes.Endpoints, new V1Endpoints
            {
                ApiVersion = "v1", Kind = "Endpoints",
                Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "ep-1", Labels = new Dictionary<string, string> { ["stale"] = "yes" } },
            });
        }

        return new ControllerRef(ResourceTypes.Services.GroupResource, "default", "web", "svc-1");
    }

    [Fact]
    public async Task A_sync_that_succeeds_records_nothing()
    {
        var reference = await ServiceAsync(withEndpoints: true);

        await Activity(null).RunAsync(reference);

        Assert.Empty(_events.Reports);
    }

    [Theory]
    [InlineData(false, "FailedToCreateEndpoint Failed to create endpoint for service default/web: endpoints \"web\": refused by the test")]
    [InlineData(true, "FailedToUpdateEndpoint Failed to update endpoint default/web: endpoints \"web\": refused by the test")]
    public async Task A_failed_Endpoints_write_records_the_endpoint_controllers_warning_on_the_Endpoints(bool exists, string expected)
    {
        var reference = await ServiceAsync(exists);

        await Assert.ThrowsAsync<ObjectRejectedException>(() => Activity(new Refuse(ResourceTypes.Endpoints)).RunAsync(reference));

        var report = Assert.Single(_events.Reports);
        Assert.Equal(expected, $"{report.Reason} {report.Message}");
        Assert.Equal(("endpoint-controller", "Warning", "Endpoints", "web"), (report.Component, report.Type, report.Regarding.Kind, report.Regarding.Name));
    }

    [Fact]
    public async Task A_failed_EndpointSlice_write_records_FailedToUpdateEndpointSlices_on_the_Service()
    {
        var reference = await ServiceAsync();

        await Assert.ThrowsAsync<ObjectRejectedException>(() => Activity(new Refuse(ResourceTypes.EndpointSlices)).RunAsync(reference));

        var report = Assert.Single(_events.Reports);
        Assert.StartsWith(
            "FailedToUpdateEndpointSlices Error updating Endpoint Slices for Service default/web: endpointslices.discovery.k8s.io \"web",
            $"{report.Reason} {report.Message}",
            StringComparison.Ordinal);
        Assert.EndsWith("refused by the test", report.Message, StringComparison.Ordinal);
        Assert.Equal(("endpoint-slice-controller", "Warning", "Service", "svc-1"), (report.Component, report.Type, report.Regarding.Kind, report.Regarding.Uid));
    }

    [Fact]
    public async Task A_namespace_being_deleted_records_no_event()
    {
        var reference = await ServiceAsync();
        var terminating = new RejectionCause(RejectionCause.NamespaceTerminating, "namespace default is being terminated", "metadata.namespace");

        await Assert.ThrowsAsync<ObjectRejectedException>(() => Activity(new Refuse(ResourceTypes.Endpoints, terminating)).RunAsync(reference));

        Assert.Empty(_events.Reports);
    }
}
