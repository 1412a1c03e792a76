using DurableKube.Domain.Changes;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableKube.Workflows.Tests.Namespaces;

public class NamespaceChangeHandlerWantsTests
{
    private static readonly NamespaceChangeHandler Handler = new(
        Mock.Of<IObjectStore>(MockBehavior.Strict),
        Mock.Of<IOptionsMonitor<ReconcileOptions>>(MockBehavior.Strict),
        NullLogger<NamespaceChangeHandler>.Instance);

    [Theory]
    [InlineData("namespaces", ObjectChangeType.Modified, ChangeFacets.Deletion | ChangeFacets.Status, true, true)] // the delete that marks it Terminating
    [InlineData("namespaces", ObjectChangeType.Modified, ChangeFacets.Deletion, true, true)]
    [InlineData("namespaces", ObjectChangeType.Modified, ChangeFacets.Status, true, false)]                        // a status write while it terminates
    [InlineData("namespaces", ObjectChangeType.Modified, ChangeFacets.Spec, true, false)]                          // its finalize
    [InlineData("namespaces", ObjectChangeType.Modified, ChangeFacets.Labels, false, false)]
    [InlineData("namespaces", ObjectChangeType.Modified, ChangeFacets.Deletion, false, false)]
    [InlineData("namespaces", ObjectChangeType.Added, ChangeFacets.All, false, false)]
    [InlineData("namespaces", ObjectChangeType.Deleted, ChangeFacets.All, true, false)]                            // gone: its workflow ends by itself
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Deletion, true, false)]
    public void A_namespace_controller_wants_only_the_start_of_a_namespaces_deletion(string resource, ObjectChangeType type, ChangeFacets facets, bool deleting, bool wanted)
    {
        var change = new ObjectChange(resource, null, "team", "uid-team", type, "7") { Facets = facets, Deleting = deleting };

        Assert.Equal(wanted, Handler.Wants(change));
    }

    [Fact]
    public void A_namespace_handler_tends_namespaces_and_watches_nothing_else()
    {
        Assert.Equal("namespaces", Handler.Kind.GroupResource);
        Assert.Empty(Handler.Watches);
    }
}
