using DurableKube.Domain.Kinds;
using DurableKube.Domain.Strategies;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Strategies;

/// <summary>What the kinds' strategies let each subresource change, and when deletes and updates remove or refuse.</summary>
public class SubresourceStrategyTests
{
    private static readonly DateTime Deleted = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ObjectStrategy Pods = CoreKinds.Pods.Strategy;
    private static readonly ObjectStrategy Namespaces = CoreKinds.Namespaces.Strategy;
    private static readonly ObjectStrategy Nodes = CoreKinds.Nodes.Strategy;

    private static V1Pod StoredPod(string? node = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-web", ResourceVersion = "5", Generation = 1, Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        Status = new V1PodStatus { Phase = "Pending" },
    };

    private static V1Namespace StoredNamespace() => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta { Name = "team", Uid = "uid-team", ResourceVersion = "3", Labels = new Dictionary<string, string> { [NamespaceStrategy.NameLabel] = "team" } },
        Spec = new V1NamespaceSpec { Finalizers = [NamespaceStrategy.KubernetesFinalizer] },
        Status = new V1NamespaceStatus { Phase = "Active" },
    };

    [Fact]
    public void A_binding_stores_the_pod_as_it_was_with_the_node_sent_and_the_resourceVersion_sent()
    {
        var stored = StoredPod();
        var sent = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", ResourceVersion = "5", Labels = new Dictionary<string, string> { ["other"] = "x" } },
            Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "app", Image = "other" }] },
            Status = new V1PodStatus { Phase = "Running" },
        };

        var result = (V1Pod)Pods.PrepareForSubresourceUpdate("binding", sent, stored);

        Assert.Equal("node-1", result.Spec.NodeName);
        Assert.Equal("5", result.Metadata.ResourceVersion);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, result.Metadata.Labels);
        Assert.Equal("nginx:1.27", result.Spec.Containers[0].Image);
        Assert.Equal("Pending", result.Status.Phase);
        Assert.Null(stored.Spec.NodeName);
        Assert.Empty(Pods.ValidateSubresourceUpdate("binding", result, stored));
    }

    [Fact]
    public void A_binding_of_a_bound_pod_is_a_Conflict()
    {
        var error = Assert.Throws<ObjectRejectedException>(() => Pods.PrepareForSubresourceUpdate("binding", new V1Pod { Metadata = new V1ObjectMeta(), Spec = new V1PodSpec { NodeName = "node-2" } }, StoredPod("node-1")));

        Assert.Equal(RejectionReason.Conflict, error.Reason);
        Assert.Equal("pod web is already assigned to node \"node-1\"", error.Detail);
    }

    [Fact]
    public void A_binding_of_a_pod_being_deleted_is_a_Conflict()
    {
        var stored = StoredPod();
        stored.Metadata.DeletionTimestamp = Deleted;

        var error = Assert.Throws<ObjectRejectedException>(() => Pods.PrepareForSubresourceUpdate("binding", new V1Pod { Metadata = new V1ObjectMeta(), Spec = new V1PodSpec { NodeName = "node-1" } }, stored));

        Assert.Equal(RejectionReason.Conflict, error.Reason);
        Assert.Equal("pod web is being deleted, cannot be assigned to a host", error.Detail);
    }

    [Theory]
    [InlineData(null, "target.name: Required value")]
    [InlineData("", "target.name: Required value")]
    [InlineData("Node_1", "target.name: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain")]
    public void A_binding_needs_a_node_name(string? node, string error)
    {
        var stored = StoredPod();
        var result = StoredPod(node);

        var errors = Pods.ValidateSubresourceUpdate("binding", result, stored);

        Assert.StartsWith(error, Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pods_status_subresource_takes_only_the_status_and_always_leaves_one()
    {
        var stored = StoredPod("node-1");
        var sent = StoredPod("node-2");
        sent.Metadata.ResourceVersion = "6";
        sent.Metadata.Labels = null;
        sent.Status = new V1PodStatus { Phase = "Running" };
        var emptied = StoredPod("node-1");
        emptied.Status = null;

        var result = (V1Pod)Pods.PrepareForSubresourceUpdate("status", sent, stored);
        var withoutStatus = (V1Pod)Pods.PrepareForSubresourceUpdate("status", emptied, stored);

        Assert.Equal("Running", result.Status.Phase);
        Assert.Equal(("node-1", "6", "web"), (result.Spec.NodeName, result.Metadata.ResourceVersion, result.Metadata.Labels["app"]));
        Assert.NotNull(withoutStatus.Status);
        Assert.Null(withoutStatus.Status.Phase);
    }

    [Theory]
    [InlineData("Pending", "Running", null)]
    [InlineData("Running", "Succeeded", null)]
    [InlineData("Succeeded", "Succeeded", null)]
    [InlineData("Succeeded", "Running", "status.phase: Forbidden: cannot transition from terminal phase \"Succeeded\" to \"Running\"")]
    [InlineData("Failed", "Pending", "status.phase: Forbidden: cannot transition from terminal phase \"Failed\" to \"Pending\"")]
    [InlineData("Pending", "Done", "status.phase: Unsupported value: \"Done\": supported values: \"Failed\", \"Pending\", \"Running\", \"Succeeded\", \"Unknown\"")]
    public void A_pods_status_subresource_validates_the_phase(string before, string after, string? error)
    {
        var stored = StoredPod("node-1");
        stored.Status.Phase = before;
        var result = StoredPod("node-1");
        result.Status.Phase = after;

        var errors = Pods.ValidateSubresourceUpdate("status", result, stored);

        Assert.Equal(error is null ? [] : [error], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_status_subresource_update_may_not_change_identity()
    {
        var stored = StoredPod("node-1");
        var result = StoredPod("node-1");
        result.Metadata.Uid = "another";

        var errors = Pods.ValidateSubresourceUpdate("status", result, stored);

        Assert.Equal("metadata.uid", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("finalize")]
    [InlineData("scale")]
    public void A_subresource_a_kind_does_not_write_through_is_not_supported(string subresource)
    {
        var error = Assert.Throws<NotSupportedException>(() => Nodes.PrepareForSubresourceUpdate(subresource, new V1Node { Metadata = new V1ObjectMeta() }, new V1Node { Metadata = new V1ObjectMeta() }));

        Assert.Equal($"nodes has no {subresource} subresource that updates it.", error.Message);
        Assert.Throws<NotSupportedException>(() => Pods.PrepareForSubresourceUpdate(subresource, StoredPod(), StoredPod()));
    }

    [Fact]
    public void Finalize_stores_the_namespace_as_it_was_with_the_spec_finalizers_sent()
    {
        var stored = StoredNamespace();
        var sent = StoredNamespace();
        sent.Metadata.ResourceVersion = "4";
        sent.Metadata.Labels["other"] = "x";
        sent.Status.Phase = "Terminating";
        sent.Spec.Finalizers = ["example.com/cleanup"];

        var result = (V1Namespace)Namespaces.PrepareForSubresourceUpdate("finalize", sent, stored);

        Assert.Equal(["example.com/cleanup"], result.Spec.Finalizers);
        Assert.Equal("4", result.Metadata.ResourceVersion);
        Assert.False(result.Metadata.Labels.ContainsKey("other"));
        Assert.Equal("Active", result.Status.Phase);
        Assert.Equal([NamespaceStrategy.KubernetesFinalizer], stored.Spec.Finalizers);
        Assert.Empty(Namespaces.ValidateSubresourceUpdate("finalize", result, stored));
    }

    [Fact]
    public void Finalize_without_finalizers_clears_them()
    {
        var sent = StoredNamespace();
        sent.Spec = null;

        var result = (V1Namespace)Namespaces.PrepareForSubresourceUpdate("finalize", sent, StoredNamespace());

        Assert.Null(result.Spec.Finalizers);
        Assert.False(Namespaces.HasPendingFinalizers(result));
    }

    [Theory]
    [InlineData("kubernetes", null)]
    [InlineData("example.com/cleanup", null)]
    [InlineData("cleanup", "spec.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified")]
    [InlineData("a b/c", "spec.finalizers: Invalid value: \"a b/c\"")]
    public void Finalize_checks_the_finalizer_names(string finalizer, string? error)
    {
        var result = StoredNamespace();
        result.Spec.Finalizers = [finalizer];

        var errors = Namespaces.ValidateSubresourceUpdate("finalize", result, StoredNamespace());

        if (error is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith(error, errors[0].ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_namespaces_status_subresource_takes_only_the_status()
    {
        var sent = StoredNamespace();
        sent.Spec.Finalizers = [];
        sent.Status.Phase = "Terminating";

        var result = (V1Namespace)Namespaces.PrepareForSubresourceUpdate("status", sent, StoredNamespace());

        Assert.Equal("Terminating", result.Status.Phase);
        Assert.Equal([NamespaceStrategy.KubernetesFinalizer], result.Spec.Finalizers);
    }

    [Fact]
    public void A_main_update_of_a_namespace_keeps_its_spec()
    {
        var stored = StoredNamespace();
        var sent = StoredNamespace();
        sent.Spec.Finalizers = [];

        Namespaces.PrepareForUpdate(sent, stored);

        Assert.Equal([NamespaceStrategy.KubernetesFinalizer], sent.Spec.Finalizers);
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("kube-system", true)]
    [InlineData("kube-public", true)]
    [InlineData("kube-node-lease", true)]
    [InlineData("team", false)]
    [InlineData("kube-team", false)]
    public void The_system_namespaces_may_not_be_deleted(string name, bool refused)
    {
        var ns = StoredNamespace();
        ns.Metadata.Name = name;

        Assert.Equal(refused ? "this namespace may not be deleted" : null, Namespaces.RefuseDelete(ns));
    }

    [Fact]
    public void Only_namespaces_refuse_deletes_and_skip_propagation()
    {
        Assert.Null(Pods.RefuseDelete(StoredPod()));
        Assert.Null(Nodes.RefuseDelete(new V1Node { Metadata = new V1ObjectMeta { Name = "default" } }));
        Assert.True(Pods.PropagatesDeletion);
        Assert.True(Nodes.PropagatesDeletion);
        Assert.False(Namespaces.PropagatesDeletion);
    }

    [Theory]
    [InlineData(new[] { "a.io/x" }, new string[0], true, 0L, true)]       // the last finalizer off, no grace left: removed
    [InlineData(new[] { "a.io/x", "a.io/y" }, new[] { "a.io/y" }, true, 0L, false)]
    [InlineData(new[] { "a.io/x" }, new string[0], true, 30L, false)]     // its kubelet still runs out the grace
    [InlineData(new[] { "a.io/x" }, new string[0], false, null, false)]   // not being deleted
    [InlineData(new string[0], new string[0], true, 0L, false)]           // there was no finalizer to take off
    public void An_update_removes_an_object_when_it_takes_off_the_last_finalizer_its_deletion_waited_for(string[] before, string[] after, bool deleting, long? grace, bool removed)
    {
        var old = StoredPod();
        old.Metadata.Finalizers = before;
        old.Metadata.DeletionTimestamp = deleting ? Deleted : null;
        old.Metadata.DeletionGracePeriodSeconds = grace;
        var updated = Serialization.KubeJson.Clone(old);
        updated.Metadata.Finalizers = after;

        Assert.Equal(removed, Pods.ShouldDeleteDuringUpdate(updated, old));
    }

    [Theory]
    [InlineData(true, false, true)]   // terminating, spec finalizer taken off: removed
    [InlineData(false, false, false)] // not terminating
    [InlineData(true, true, false)]   // a metadata finalizer still holds it
    public void A_namespace_is_removed_by_the_update_that_takes_off_its_last_finalizer_of_either_kind(bool terminating, bool metadataFinalizer, bool removed)
    {
        var old = StoredNamespace();
        old.Metadata.DeletionTimestamp = terminating ? Deleted : null;
        old.Metadata.Finalizers = metadataFinalizer ? ["example.com/keep"] : null;
        var updated = Serialization.KubeJson.Clone(old);
        updated.Spec.Finalizers = [];

        Assert.Equal(removed, Namespaces.ShouldDeleteDuringUpdate(updated, old));
    }
}
