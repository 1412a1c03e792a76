using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Domain.Changes;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Queue;
using k8s.Models;

namespace DurableKube.Ports.Tests.Queue;

public class ObjectChangeTests
{
    private static readonly DateTime Deleted = new(2026, 1, 1, 12, 0, 30, DateTimeKind.Utc);

    private static V1OwnerReference Owner(string name, bool controller = true) =>
        new() { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = name, Uid = "uid-" + name, Controller = controller, BlockOwnerDeletion = controller };

    private static V1Pod Pod(params V1OwnerReference[] owners) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "default",
            Uid = "uid-web",
            ResourceVersion = "41",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            OwnerReferences = owners.Length > 0 ? [.. owners] : null,
        },
        Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        Status = new V1PodStatus { Phase = "Pending" },
    };

    private static V1Pod Next(V1Pod pod, Action<V1Pod> change)
    {
        var next = KubeJson.Clone(pod);
        next.Metadata.ResourceVersion = "42";
        change(next);
        return next;
    }

    [Fact]
    public void A_create_names_the_object_and_changes_everything()
    {
        var change = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Added, null, Pod());

        Assert.Equal(new ObjectChange("pods", "default", "web", "uid-web", ObjectChangeType.Added, "41"), change);
        Assert.Equal(ChangeFacets.All, change.Facets);
        Assert.False(change.Deleting);
        Assert.Null(change.Controller);
        Assert.Null(change.FormerController);
        Assert.Empty(change.Finalizers);
        Assert.Empty(change.Owners);
    }

    [Theory]
    [InlineData("status", ChangeFacets.Status | ChangeFacets.Serving)]
    [InlineData("spec", ChangeFacets.Spec)]
    [InlineData("labels", ChangeFacets.Labels)]
    [InlineData("finalizers", ChangeFacets.Finalizers)]
    [InlineData("deletion", ChangeFacets.Deletion)]
    [InlineData("resourceVersion only", ChangeFacets.None)]
    public void An_update_carries_what_it_changed(string what, ChangeFacets facets)
    {
        var old = Pod();
        var now = Next(old, pod =>
        {
            switch (what)
            {
                case "status": pod.Status.Phase = "Running"; break;
                case "spec": pod.Spec.Containers[0].Image = "nginx:1.28"; break;
                case "labels": pod.Metadata.Labels["tier"] = "front"; break;
                case "finalizers": pod.Metadata.Finalizers = ["example.com/keep"]; break;
                case "deletion": pod.Metadata.DeletionTimestamp = Deleted; pod.Metadata.DeletionGracePeriodSeconds = 30; break;
                default: break;
            }
        });

        var change = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Modified, old, now);

        Assert.Equal(facets, change.Facets);
        Assert.Equal(what == "deletion", change.Deleting);
        Assert.Equal("42", change.ResourceVersion);
    }

    [Fact]
    public void An_update_of_an_object_being_deleted_is_Deleting_whatever_it_changed()
    {
        var old = Pod();
        old.Metadata.DeletionTimestamp = Deleted;
        old.Metadata.Finalizers = ["example.com/keep"];

        var change = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Modified, old, Next(old, pod => pod.Metadata.Finalizers = []));

        Assert.True(change.Deleting);
        Assert.Equal(ChangeFacets.Finalizers, change.Facets);
        Assert.Empty(change.Finalizers);
    }

    [Fact]
    public void A_removal_is_Deleting_changes_everything_and_carries_what_the_object_was()
    {
        var pod = Pod(Owner("web-1"));
        pod.Metadata.Finalizers = ["example.com/keep"];

        var change = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Deleted, pod, pod);

        Assert.Equal(ObjectChangeType.Deleted, change.Type);
        Assert.True(change.Deleting);
        Assert.Equal(ChangeFacets.All, change.Facets);
        Assert.Equal(new ObjectOwner("apps/v1", "ReplicaSet", "web-1", "uid-web-1", Controller: true, BlockOwnerDeletion: true), change.Controller);
        Assert.Null(change.FormerController);
        Assert.Equal(["example.com/keep"], change.Finalizers);
    }

    [Theory]
    [InlineData(null, null, null, null)]                // no controller before or after
    [InlineData("web-1", "web-1", "web-1", null)]       // the same controller
    [InlineData(null, "web-1", "web-1", null)]          // adopted
    [InlineData("web-1", null, null, "web-1")]          // released
    [InlineData("web-1", "web-2", "web-2", "web-1")]    // moved from one controller to another
    public void The_controller_and_the_former_controller_follow_the_ownerReferences(string? before, string? after, string? controller, string? former)
    {
        var old = before is null ? Pod() : Pod(Owner(before));
        var now = Next(old, pod => pod.Metadata.OwnerReferences = after is null ? null : [Owner(after)]);

        var change = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Modified, old, now);

        Assert.Equal(controller, change.Controller?.Name);
        Assert.Equal(former, change.FormerController?.Name);
        Assert.Equal(before != after, change.Facets.HasFlag(ChangeFacets.Owners));
    }

    [Fact]
    public void An_owner_that_is_not_the_controller_is_an_owner_only()
    {
        var change = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Added, null, Pod(Owner("other", controller: false), Owner("web-1")));

        Assert.Equal("web-1", change.Controller?.Name);
        Assert.Equal(
            [new ObjectOwner("apps/v1", "ReplicaSet", "other", "uid-other"), new ObjectOwner("apps/v1", "ReplicaSet", "web-1", "uid-web-1", true, true)],
            change.Owners);
    }

    [Fact]
    public void A_cluster_scoped_object_has_no_namespace()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", NamespaceProperty = "stray", Uid = "uid-node", ResourceVersion = "3" } };

        var change = ObjectChange.Of(ResourceTypes.Nodes, ObjectChangeType.Added, null, node);

        Assert.Equal(new ObjectChange("nodes", null, "node-1", "uid-node", ObjectChangeType.Added, "3"), change);
    }

    [Fact]
    public void Changes_are_equal_by_value_lists_included()
    {
        var old = Pod(Owner("web-1"));
        var now = Next(old, pod => pod.Metadata.Finalizers = ["example.com/keep"]);

        var a = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Modified, old, now);
        var b = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Modified, KubeJson.Clone(old), KubeJson.Clone(now));

        Assert.NotSame(a.Finalizers, b.Finalizers);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Finalizers = ["example.com/other"] });
        Assert.NotEqual(a, b with { Owners = [] });
        Assert.NotEqual(a, b with { Facets = ChangeFacets.All });
        Assert.NotEqual(a, b with { Controller = null });
        Assert.NotEqual(a, b with { FormerController = a.Controller });
        Assert.NotEqual(a, b with { Deleting = true });
        Assert.NotEqual(a, b with { Subresource = "status" });
        Assert.NotEqual(a, b with { ResourceVersion = "43" });
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void A_change_round_trips_through_System_Text_Json_with_every_field()
    {
        var old = Pod(Owner("web-1"));
        var now = Next(old, pod =>
        {
            pod.Metadata.OwnerReferences = [Owner("other", controller: false), Owner("web-2")];
            pod.Metadata.Finalizers = ["example.com/keep"];
            pod.Metadata.DeletionTimestamp = Deleted;
            pod.Status.Phase = "Running";
        });
        var change = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Modified, old, now, "status");

        var json = JsonSerializer.Serialize(change);
        var back = JsonSerializer.Deserialize<ObjectChange>(json);

        Assert.Equal(change, back);
        var node = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(
            ["controller", "deleting", "facets", "finalizers", "formerController", "name", "namespace", "owners", "resource", "resourceVersion", "subresource", "type", "uid"],
            node.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Modified", node["type"]!.GetValue<string>());
        Assert.Equal("Status, Owners, Finalizers, Deletion, Serving", node["facets"]!.GetValue<string>());
        Assert.Equal("web-1", node["formerController"]!["name"]!.GetValue<string>());
        Assert.Equal(
            ["apiVersion", "blockOwnerDeletion", "controller", "kind", "name", "uid"],
            node["controller"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_change_that_carries_only_its_identity_reads_with_the_defaults()
    {
        var back = JsonSerializer.Deserialize<ObjectChange>(
            """{"resource":"pods","namespace":"default","name":"web","uid":"uid-web","type":"Added","resourceVersion":"41"}""");

        Assert.Equal(new ObjectChange("pods", "default", "web", "uid-web", ObjectChangeType.Added, "41"), back);
        Assert.Equal(ChangeFacets.All, back!.Facets);
        Assert.Empty(back.Finalizers);
        Assert.Empty(back.Owners);
    }
}
