using DurableKube.Domain.Deletion;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Strategies;

public class GracefulDeletionTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PodStrategy Pods = new();

    private static V1Pod Pod(string? node = "node-1", string phase = "Running", long? grace = 30, IList<string>? finalizers = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Generation = 1, Finalizers = finalizers },
        Spec = new V1PodSpec { NodeName = node, TerminationGracePeriodSeconds = grace },
        Status = new V1PodStatus { Phase = phase },
    };

    [Theory]
    [InlineData(null, "Pending", null, DeletionAction.UpdateThenRemove, 0L)]
    [InlineData("node-1", "Succeeded", null, DeletionAction.UpdateThenRemove, 0L)]
    [InlineData("node-1", "Failed", 10L, DeletionAction.UpdateThenRemove, 0L)]
    [InlineData("node-1", "Running", 0L, DeletionAction.UpdateThenRemove, 0L)]
    [InlineData("node-1", "Running", null, DeletionAction.Update, 30L)]
    [InlineData("node-1", "Running", 5L, DeletionAction.Update, 5L)]
    [InlineData("node-1", "Running", -3L, DeletionAction.Update, 1L)]
    public void A_pod_is_deleted_gracefully_only_when_bound_and_running(string? node, string phase, long? requested, DeletionAction action, long grace)
    {
        var pod = Pod(node, phase);

        var result = GracefulDeletion.Plan(Pods, pod, requested, Now);

        Assert.Equal(action, result);
        Assert.Equal(grace, pod.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(Now.UtcDateTime.AddSeconds(grace), pod.Metadata.DeletionTimestamp);
    }

    [Fact]
    public void The_grace_comes_from_the_spec_when_the_request_has_none()
    {
        var pod = Pod(grace: 12);

        GracefulDeletion.Plan(Pods, pod, null, Now);

        Assert.Equal(12, pod.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(2, pod.Metadata.Generation);
    }

    [Fact]
    public void A_second_delete_may_only_shorten_the_grace()
    {
        var pod = Pod();
        GracefulDeletion.Plan(Pods, pod, null, Now);

        Assert.Equal(DeletionAction.Unchanged, GracefulDeletion.Plan(Pods, pod, 60, Now.AddSeconds(1)));
        Assert.Equal(DeletionAction.Unchanged, GracefulDeletion.Plan(Pods, pod, null, Now.AddSeconds(1)));
        Assert.Equal(DeletionAction.Update, GracefulDeletion.Plan(Pods, pod, 10, Now.AddSeconds(1)));
        Assert.Equal(10, pod.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(Now.UtcDateTime.AddSeconds(10), pod.Metadata.DeletionTimestamp);
        Assert.Equal(DeletionAction.UpdateThenRemove, GracefulDeletion.Plan(Pods, pod, 0, Now.AddSeconds(2)));
    }

    [Fact]
    public void Finalizers_hold_an_object_back()
    {
        var pod = Pod(node: null, finalizers: ["example.com/hold"]);

        Assert.Equal(DeletionAction.Update, GracefulDeletion.Plan(Pods, pod, null, Now));
        Assert.Equal(0, pod.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(DeletionAction.Unchanged, GracefulDeletion.Plan(Pods, pod, null, Now));
    }

    [Fact]
    public void A_type_without_graceful_deletion_is_removed_at_once()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "n" } };

        Assert.Equal(DeletionAction.Remove, GracefulDeletion.Plan(new NodeStrategy(), node, 30, Now));
        Assert.Null(node.Metadata.DeletionTimestamp);
    }

    [Fact]
    public void Removing_the_last_finalizer_of_an_object_deleted_without_grace_removes_it()
    {
        var old = Pod(node: null, finalizers: ["example.com/hold"]);
        GracefulDeletion.Plan(Pods, old, null, Now);
        var updated = Serialization.KubeJson.Clone(old);
        updated.Metadata.Finalizers = [];

        Assert.True(Pods.ShouldDeleteDuringUpdate(updated, old));
        Assert.False(Pods.ShouldDeleteDuringUpdate(old, old));
    }

    [Fact]
    public void A_namespace_turns_terminating_and_waits_for_its_finalizer()
    {
        var strategy = new NamespaceStrategy();
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } };
        strategy.PrepareForCreate(ns);

        Assert.Equal(DeletionAction.Update, strategy.PlanDelete(ns, null, Now));
        Assert.Equal("Terminating", ns.Status.Phase);
        Assert.Equal(Now.UtcDateTime, ns.Metadata.DeletionTimestamp);
        Assert.Equal(DeletionAction.Unchanged, strategy.PlanDelete(ns, null, Now));

        var finalized = strategy.PrepareForSubresourceUpdate("finalize", new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" }, Spec = new V1NamespaceSpec { Finalizers = [] } }, ns);
        Assert.True(strategy.ShouldDeleteDuringUpdate(finalized, ns));
    }
}
