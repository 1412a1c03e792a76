using DurableKube.Domain.Changes;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Workflows.Dispatch;

namespace DurableKube.Workflows.Tests.Dispatch;

public class ChangeRouterTests
{
    private static ObjectChange Change(string resource, string? controller = null, string? former = null, ObjectChangeType type = ObjectChangeType.Modified) =>
        new(resource, "default", "web", "uid-web", type, "7")
        {
            Controller = Owner(controller),
            FormerController = Owner(former),
        };

    /// <summary>An owner written as <c>apiVersion/Kind</c>, e.g. <c>apps/v1/ReplicaSet</c>.</summary>
    private static ObjectOwner? Owner(string? owner)
    {
        if (owner is null)
        {
            return null;
        }

        var split = owner.LastIndexOf('/');
        return new ObjectOwner(owner[..split], owner[(split + 1)..], "owner", "uid-owner", Controller: true, BlockOwnerDeletion: true);
    }

    private static ChangeRouter Router(params IChangeHandler[] handlers) => new(TestKinds.Registry(), handlers);

    private static string Names(IEnumerable<IChangeHandler> handlers) => string.Join(",", handlers.Select(h => h.ToString()));

    /// <summary>A handler per kind, and one (a garbage collector) that tends no kind and watches replica sets.</summary>
    private static ChangeRouter Everyone() => Router(
        new FakeHandler("pods", ResourceTypes.Pods),
        new FakeHandler("replicasets", TestKinds.ReplicaSets),
        new FakeHandler("jobs", TestKinds.Jobs),
        new FakeHandler("nodes", ResourceTypes.Nodes),
        new FakeHandler("gc", null, [TestKinds.ReplicaSets]));

    [Theory]
    [InlineData("pods", null, null, "pods")]                                      // its own kind only
    [InlineData("pods", "apps/v1/ReplicaSet", null, "pods,replicasets")]         // and its controller's
    [InlineData("pods", null, "apps/v1/ReplicaSet", "pods,replicasets")]         // and its former controller's (released)
    [InlineData("pods", "batch/v1/Job", "apps/v1/ReplicaSet", "pods,replicasets,jobs")]
    [InlineData("pods", "apps/v1/ReplicaSet", "apps/v1/ReplicaSet", "pods,replicasets")]
    [InlineData("pods", "v1/Node", null, "pods,nodes")]                          // a mirror pod, controlled by its node
    [InlineData("pods", "apps/v1beta1/ReplicaSet", null, "pods")]                // an apiVersion not served: no handler is its kind's
    [InlineData("pods", "apps/v1/StatefulSet", null, "pods")]                    // a kind not served
    [InlineData("pods", "v1/ReplicaSet", null, "pods")]
    [InlineData("replicasets.apps", null, null, "replicasets,gc")]               // its own kind, and the watcher
    [InlineData("replicasets.apps", "apps/v1/ReplicaSet", null, "replicasets,gc")] // own kind and controller's kind: once
    [InlineData("jobs.batch", null, null, "jobs")]
    [InlineData("nodes", null, null, "nodes")]
    [InlineData("namespaces", null, null, "")]                                   // nobody's
    public void A_change_reaches_its_kinds_handler_its_controllers_now_and_before_and_its_watchers(string resource, string? controller, string? former, string expected)
    {
        var targets = Everyone().Targets(Change(resource, controller, former));

        Assert.Equal(expected, Names(targets));
    }

    [Fact]
    public void An_owner_that_is_not_the_controller_does_not_route()
    {
        var change = Change("pods") with { Owners = [new ObjectOwner("apps/v1", "ReplicaSet", "rs", "uid-rs")] };

        Assert.Equal("pods", Names(Everyone().Targets(change)));
    }

    [Fact]
    public void A_handler_that_watches_its_own_kind_is_reached_once()
    {
        var router = Router(new FakeHandler("pods", ResourceTypes.Pods, [ResourceTypes.Pods, TestKinds.ReplicaSets]));

        Assert.Equal("pods", Names(router.Targets(Change("pods", "apps/v1/ReplicaSet"))));
    }

    [Fact]
    public void Only_handlers_that_want_the_change_are_reached_and_each_is_asked_with_it()
    {
        var status = new FakeHandler("pods", ResourceTypes.Pods, wants: c => c.Facets.HasFlag(ChangeFacets.Deletion));
        var owner = new FakeHandler("replicasets", TestKinds.ReplicaSets);
        var bystander = new FakeHandler("jobs", TestKinds.Jobs);
        var router = Router(status, owner, bystander);
        var change = Change("pods", "apps/v1/ReplicaSet") with { Facets = ChangeFacets.Status };

        var targets = router.Targets(change);

        Assert.Equal("replicasets", Names(targets));
        Assert.Equal([change], status.Asked);
        Assert.Equal([change], owner.Asked);
        Assert.Empty(bystander.Asked);
        Assert.Equal("pods,replicasets", Names(router.Targets(change with { Facets = ChangeFacets.Deletion })));
    }

    [Fact]
    public void The_handlers_are_the_registered_ones_in_order()
    {
        var a = new FakeHandler("a", ResourceTypes.Pods);
        var b = new FakeHandler("b", null, [ResourceTypes.Pods]);
        var c = new FakeHandler("c", null, [ResourceTypes.Pods]);

        var router = Router(a, b, c);

        Assert.Equal([a, b, c], router.Handlers);
        Assert.Equal("a,b,c", Names(router.Targets(Change("pods"))));
    }

    [Fact]
    public void Two_handlers_for_one_kind_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Router(new FakeHandler("a", ResourceTypes.Pods), new FakeHandler("b", ResourceTypes.Pods)));

        Assert.StartsWith("Two handlers claim the kind pods: FakeHandler, FakeHandler.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handlers_of_no_kind_may_be_many()
    {
        var router = Router(new FakeHandler("a", null, [ResourceTypes.Pods]), new FakeHandler("b", null, [ResourceTypes.Pods]));

        Assert.Equal(2, router.Handlers.Count);
    }

    [Fact]
    public void A_handler_of_a_kind_that_is_not_served_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Router(new FakeHandler("sts", TestKinds.StatefulSets)));

        Assert.StartsWith("FakeHandler handles statefulsets.apps, which is not a registered kind.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handler_watching_a_kind_that_is_not_served_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Router(new FakeHandler("pods", ResourceTypes.Pods, [TestKinds.StatefulSets])));

        Assert.StartsWith("FakeHandler handles statefulsets.apps, which is not a registered kind.", error.Message, StringComparison.Ordinal);
    }
}
