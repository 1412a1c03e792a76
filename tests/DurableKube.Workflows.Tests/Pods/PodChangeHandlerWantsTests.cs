using DurableKube.Domain.Changes;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableKube.Workflows.Tests.Pods;

public class PodChangeHandlerWantsTests
{
    private static readonly PodChangeHandler Handler = new(
        Mock.Of<IObjectStore>(MockBehavior.Strict),
        Mock.Of<IOptionsMonitor<KubeletOptions>>(MockBehavior.Strict),
        Mock.Of<IOptionsMonitor<ReconcileOptions>>(MockBehavior.Strict),
        TimeProvider.System,
        new WorkflowWatchdog(Mock.Of<IWorkflowWorker>(MockBehavior.Strict), TimeProvider.System, NullLogger<WorkflowWatchdog>.Instance),
        NullLogger<PodChangeHandler>.Instance);

    [Theory]
    [InlineData("pods", ObjectChangeType.Added, ChangeFacets.All, false, true)]
    [InlineData("pods", ObjectChangeType.Deleted, ChangeFacets.All, true, true)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Deletion, true, true)]    // its deletion starts, or its grace is cut
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Deletion | ChangeFacets.Finalizers, true, true)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Status, false, false)]    // its kubelet's own status writes
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Spec, false, true)]       // an update of its spec (activeDeadlineSeconds)
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Spec, true, false)]       // an update of the spec of a pod being deleted
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Labels | ChangeFacets.Annotations | ChangeFacets.Owners, false, false)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Finalizers, false, false)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Status, true, false)]     // its kubelet's status writes while it terminates
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Finalizers, true, false)] // a finalizer taken off while it terminates
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.None, false, false)]
    [InlineData("namespaces", ObjectChangeType.Added, ChangeFacets.All, false, false)]    // not a pod
    [InlineData("replicasets.apps", ObjectChangeType.Deleted, ChangeFacets.All, true, false)]
    [InlineData("nodes", ObjectChangeType.Modified, ChangeFacets.Deletion, true, false)]
    public void A_pods_kubelet_wants_its_creation_the_start_of_its_deletion_and_its_removal(string resource, ObjectChangeType type, ChangeFacets facets, bool deleting, bool wanted)
    {
        var change = new ObjectChange(resource, "default", "web", "uid-web", type, "7") { Facets = facets, Deleting = deleting };

        Assert.Equal(wanted, Handler.Wants(change));
    }

    [Theory]
    [InlineData("binding", false)] // its kubelet binds it to a node
    [InlineData("status", false)]
    [InlineData("ephemeralcontainers", true)] // kubectl debug adds a container for it to start
    [InlineData(null, true)]
    public void A_pods_kubelet_hears_of_an_update_of_its_spec_but_not_of_its_binding(string? subresource, bool wanted)
    {
        var change = new ObjectChange("pods", "default", "web", "uid-web", ObjectChangeType.Modified, "7") { Facets = ChangeFacets.Spec, Subresource = subresource };

        Assert.Equal(wanted, Handler.Wants(change));
    }

    [Fact]
    public void A_pod_handler_tends_pods_and_watches_nothing_else()
    {
        Assert.Equal("pods", Handler.Kind.GroupResource);
        Assert.Empty(Handler.Watches);
    }
}
