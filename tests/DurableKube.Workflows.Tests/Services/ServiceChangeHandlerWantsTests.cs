using DurableKube.Domain.Changes;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Reconcile;
using DurableKube.Workflows.Services;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableKube.Workflows.Tests.Services;

public sealed class ServiceChangeHandlerWantsTests
{
    private static readonly ServiceChangeHandler Handler = new(
        Mock.Of<IObjectStore>(MockBehavior.Strict),
        Mock.Of<IOptionsMonitor<ReconcileOptions>>(MockBehavior.Strict),
        NullLogger<ServiceChangeHandler>.Instance);

    [Theory]
    [InlineData("services", ObjectChangeType.Added, ChangeFacets.All, true)]
    [InlineData("services", ObjectChangeType.Modified, ChangeFacets.Spec, true)]
    [InlineData("services", ObjectChangeType.Modified, ChangeFacets.Status, false)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Serving | ChangeFacets.Status, true)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Status, false)]
    [InlineData("endpoints", ObjectChangeType.Added, ChangeFacets.All, true)]
    [InlineData("endpoints", ObjectChangeType.Deleted, ChangeFacets.All, true)]
    [InlineData("endpoints", ObjectChangeType.Modified, ChangeFacets.Spec | ChangeFacets.Mirrored, true)]        // a user's Endpoints
    [InlineData("endpoints", ObjectChangeType.Modified, ChangeFacets.Labels | ChangeFacets.Mirrored, true)]      // labelled skip-mirror, say
    [InlineData("endpoints", ObjectChangeType.Modified, ChangeFacets.Spec, false)]                               // the endpoints controller's own write
    [InlineData("endpointslices.discovery.k8s.io", ObjectChangeType.Added, ChangeFacets.All, false)]             // the controllers' own slices
    public void The_Service_handler_wants_Services_serving_pod_changes_and_mirrored_Endpoints_changes(string resource, ObjectChangeType type, ChangeFacets facets, bool wanted)
    {
        var change = new ObjectChange(resource, "shop", "web", "uid-1", type, "7") { Facets = facets };

        Assert.Equal(wanted, Handler.Wants(change));
    }

    [Fact]
    public void The_Service_handler_watches_pods_and_Endpoints() =>
        Assert.Equal(["pods", "endpoints"], Handler.Watches.Select(w => w.GroupResource));

    [Theory]
    [InlineData("app", "ClusterIP", true)]
    [InlineData(null, "ClusterIP", true)]
    [InlineData(null, "ExternalName", true)]
    [InlineData("app", "ExternalName", false)]
    public void Every_Service_but_an_ExternalName_one_with_a_selector_has_a_controller(string? selector, string type, bool tended)
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Type = type, Selector = selector is null ? null : new Dictionary<string, string> { [selector] = "web" } },
        };

        Assert.Equal(tended, ServiceChangeHandler.Tends(service));
    }
}
