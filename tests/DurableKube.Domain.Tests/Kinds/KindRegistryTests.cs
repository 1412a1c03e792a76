using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kinds;

public class KindRegistryTests
{
    private static readonly KindDescriptor ReplicaSets = Kind("apps", "v1", "replicasets", "ReplicaSet", ["rs"]);
    private static readonly KindDescriptor Deployments = Kind("apps", "v1", "deployments", "Deployment", ["deploy"]);
    private static readonly KindDescriptor Jobs = Kind("batch", "v1", "jobs", "Job", []);

    /// <summary>The core kinds and a few of other groups, registered out of order.</summary>
    private static readonly KindRegistry Registry = new([Jobs, ReplicaSets, .. CoreKinds.All, Deployments]);

    private static KindDescriptor Kind(string group, string version, string plural, string kind, string[] shortNames, params Subresource[] subresources) =>
        new(new ObjectStrategy(new ResourceType(group, version, plural, plural.TrimEnd('s'), kind, Namespaced: true, typeof(V1ReplicaSet), typeof(V1ReplicaSetList), shortNames)))
        {
            Subresources = subresources,
        };

    [Theory]
    [InlineData("", "v1", "pods", "pods")]
    [InlineData("", "v1", "namespaces", "namespaces")]
    [InlineData("apps", "v1", "replicasets", "replicasets.apps")]
    [InlineData("batch", "v1", "jobs", "jobs.batch")]
    [InlineData("", "v2", "pods", null)]          // a version not served
    [InlineData("apps", "v1", "pods", null)]      // pods are not in apps
    [InlineData("", "v1", "replicasets", null)]   // replicasets are not in the core group
    [InlineData("", "v1", "po", null)]            // short names are not resources
    public void Find_by_group_version_and_plural(string group, string version, string plural, string? expected) =>
        Assert.Equal(expected, Registry.Find(group, version, plural)?.Type.GroupResource);

    [Theory]
    [InlineData("pods", "pods")]
    [InlineData("nodes", "nodes")]
    [InlineData("replicasets.apps", "replicasets.apps")]
    [InlineData("replicasets", null)]
    [InlineData("pods.apps", null)]
    [InlineData("Pods", null)]
    public void Find_by_group_resource(string groupResource, string? expected) =>
        Assert.Equal(expected, Registry.Find(groupResource)?.Type.GroupResource);

    [Theory]
    [InlineData("v1", "Pod", "pods")]
    [InlineData("v1", "Namespace", "namespaces")]
    [InlineData("apps/v1", "ReplicaSet", "replicasets.apps")]
    [InlineData("batch/v1", "Job", "jobs.batch")]
    [InlineData("v1", "ReplicaSet", null)]
    [InlineData("apps/v1beta2", "ReplicaSet", null)]
    [InlineData("apps/v1", "Pod", null)]
    [InlineData("v1", "pod", null)]
    [InlineData(null, "Pod", null)]
    [InlineData("v1", null, null)]
    public void Find_by_apiVersion_and_kind(string? apiVersion, string? kind, string? expected) =>
        Assert.Equal(expected, Registry.FindByKind(apiVersion, kind)?.Type.GroupResource);

    [Fact]
    public void Get_gives_the_descriptor_of_a_served_type_and_refuses_another()
    {
        Assert.Same(CoreKinds.Pods, Registry.Get(ResourceTypes.Pods));
        Assert.Same(ReplicaSets, Registry.Get(ReplicaSets.Type));

        var error = Assert.Throws<KeyNotFoundException>(() => new KindRegistry(CoreKinds.All).Get(ReplicaSets.Type));
        Assert.Equal("The kind replicasets.apps is not registered with this server.", error.Message);
    }

    [Fact]
    public void A_registry_of_the_core_kinds_serves_the_core_group_alone()
    {
        var registry = new KindRegistry(CoreKinds.All);

        Assert.Equal(["configmaps", "endpoints", "namespaces", "nodes", "pods", "secrets", "services"], registry.All.Select(k => k.Type.GroupResource));
        Assert.Empty(registry.Groups);
        Assert.Equal(["v1"], registry.VersionsOf(""));
        Assert.True(registry.ServesGroupVersion("", "v1"));
        Assert.False(registry.ServesGroupVersion("apps", "v1"));
    }

    [Fact]
    public void The_core_kinds_serve_their_subresources()
    {
        Assert.Equal(["status", "log", "binding", "ephemeralcontainers", "exec", "attach", "portforward", "proxy", "eviction"], CoreKinds.Pods.Subresources.Select(s => s.Name));
        Assert.All(["exec", "attach", "portforward"], name => Assert.True(CoreKinds.Pods.Serves(name, "create") && CoreKinds.Pods.Serves(name, "get"), name));
        Assert.Equal(["status", "proxy"], CoreKinds.Services.Subresources.Select(s => s.Name));
        Assert.Equal(["status", "finalize"], CoreKinds.Namespaces.Subresources.Select(s => s.Name));
        Assert.Equal(["status"], CoreKinds.Nodes.Subresources.Select(s => s.Name));
        Assert.True(CoreKinds.Pods.Serves("binding", "create"));
        Assert.False(CoreKinds.Pods.Serves("binding", "get"));
        Assert.True(CoreKinds.Namespaces.Serves("finalize", "update"));
        Assert.False(CoreKinds.Nodes.Has("finalize"));
        Assert.Equal(["all"], CoreKinds.Pods.Categories);
    }

    [Fact]
    public void Two_descriptors_of_one_resource_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KindRegistry([CoreKinds.Pods, Kind("", "v1", "pods", "OtherPod", [])]));

        Assert.StartsWith("The kind pods is registered twice.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_resource_in_two_groups_is_two_kinds()
    {
        var registry = new KindRegistry([CoreKinds.Pods, Kind("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", [])]);

        Assert.Equal(["pods", "pods.metrics.k8s.io"], registry.All.Select(k => k.Type.GroupResource));
    }

    [Fact]
    public void Two_descriptors_claiming_one_apiVersion_and_kind_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KindRegistry([CoreKinds.Pods, Kind("", "v1", "podz", "Pod", [])]));

        Assert.StartsWith("v1 Pod is claimed by both pods and podz.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_descriptors_claiming_one_short_name_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KindRegistry([ReplicaSets, Kind("apps", "v1", "replicationsets", "ReplicationSet", ["rs"])]));

        Assert.StartsWith("The short name rs is claimed by both replicasets.apps and replicationsets.apps.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_descriptor_listing_a_subresource_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KindRegistry([Kind("apps", "v1", "statefulsets", "StatefulSet", ["sts"], Subresource.Status, Subresource.Status)]));

        Assert.StartsWith("statefulsets.apps lists the subresource status twice.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_registry_holds_every_group_of_built_in_kinds()
    {
        var registry = BuiltInKinds.Registry();

        Assert.Superset(
            new HashSet<string>(["namespaces", "nodes", "pods", "replicasets.apps"]),
            registry.All.Select(k => k.Type.GroupResource).ToHashSet());
        Assert.Equal([.. CoreKinds.All, .. AppsKinds.All], BuiltInKinds.All.Take(CoreKinds.All.Count + AppsKinds.All.Count));
    }

    [Fact]
    public void A_kind_that_lists_the_scale_subresource_must_say_where_its_replicas_are()
    {
        var error = Assert.Throws<ArgumentException>(() => new KindRegistry([Kind("apps", "v1", "statefulsets", "StatefulSet", ["sts"], Subresource.Status, Subresource.Scale)]));

        Assert.StartsWith("statefulsets.apps must both list the scale subresource and say where its replicas are, or neither.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_is_ordered_by_group_then_plural_whatever_the_registration_order()
    {
        Assert.Equal(
            ["configmaps", "endpoints", "namespaces", "nodes", "pods", "secrets", "services", "deployments.apps", "replicasets.apps", "jobs.batch"],
            Registry.All.Select(k => k.Type.GroupResource));
    }

    [Fact]
    public void Groups_are_the_named_groups_sorted_once_each()
    {
        Assert.Equal(["apps", "batch"], Registry.Groups);
    }

    [Fact]
    public void KindsOf_a_group_version_are_ordered_by_plural()
    {
        Assert.Equal(["deployments", "replicasets"], Registry.KindsOf("apps", "v1").Select(k => k.Type.Plural));
        Assert.Equal(["configmaps", "endpoints", "namespaces", "nodes", "pods", "secrets", "services"], Registry.KindsOf("", "v1").Select(k => k.Type.Plural));
        Assert.Empty(Registry.KindsOf("apps", "v1beta1"));
        Assert.Empty(Registry.KindsOf("policy", "v1"));
    }

    [Fact]
    public void VersionsOf_a_group_come_in_the_registration_order_of_their_kinds_once_each()
    {
        // The first version is the group's preferred version in discovery: the one whose kinds were registered first.
        var registry = new KindRegistry(
        [
            ReplicaSets,
            Kind("apps", "v1beta1", "controllerrevisions", "ControllerRevision", []),
            Deployments,
            Kind("apps", "v1beta2", "daemonsets", "DaemonSet", []),
        ]);

        Assert.Equal(["v1", "v1beta1", "v1beta2"], registry.VersionsOf("apps"));
        Assert.Empty(registry.VersionsOf("batch"));
    }

    [Theory]
    [InlineData("", "v1", true)]
    [InlineData("apps", "v1", true)]
    [InlineData("batch", "v1", true)]
    [InlineData("apps", "v2", false)]
    [InlineData("policy", "v1", false)]
    public void ServesGroupVersion_says_whether_any_kind_of_it_is_served(string group, string version, bool served) =>
        Assert.Equal(served, Registry.ServesGroupVersion(group, version));
}
