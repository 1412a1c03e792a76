using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.GarbageCollection;

/// <summary>The garbage collector with the real workflows: owners that never existed, and propagation finalizers on objects that own nothing.</summary>
public sealed class GarbageCollectorTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await WorkflowHarness.StartAsync();
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Pod Pod(string name, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name }, OwnerReferences = owners },
        Spec = new V1PodSpec { TerminationGracePeriodSeconds = 1, Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "3600"] }] },
    };

    private static V1OwnerReference ReplicaSetRef(string name, string uid, bool controller) =>
        new() { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = name, Uid = uid, Controller = controller, BlockOwnerDeletion = controller };

    private async Task<V1ReplicaSet> ReplicaSetAsync(string name, string selects) =>
        (V1ReplicaSet)await _harness.Registry.CreateAsync(ResourceTypes.ReplicaSets, new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = selects } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = selects } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "3600"] }] },
                },
            },
        });

    [Fact]
    public async Task A_pod_whose_only_owner_does_not_exist_is_collected()
    {
        await _harness.CreatePodAsync(Pod("dangling", ReplicaSetRef("never-was", Guid.NewGuid().ToString(), controller: true)));

        await _harness.WaitForPodGoneAsync("dangling");
    }

    [Fact]
    public async Task A_pod_with_another_owner_still_there_only_loses_the_reference_to_the_missing_one()
    {
        var kept = await ReplicaSetAsync("keeper", selects: "someone-else");
        await _harness.CreatePodAsync(Pod("shared", ReplicaSetRef("gone", Guid.NewGuid().ToString(), controller: true), ReplicaSetRef("keeper", kept.Metadata.Uid, controller: false)));

        var pod = await _harness.WaitForPodAsync("shared", p => p.Metadata.OwnerReferences?.Count == 1);

        Assert.Equal(kept.Metadata.Uid, pod.Metadata.OwnerReferences.Single().Uid);
        Assert.Null(pod.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task An_owner_being_deleted_behind_another_finalizer_still_holds_its_dependent()
    {
        // classifyReferences: an owner that exists and is not waiting for its dependents (no foregroundDeletion
        // finalizer) is solid, even with a deletionTimestamp; only the dangling reference goes.
        var holder = await ReplicaSetAsync("holder", selects: "nobody");
        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "holder"), obj =>
        {
            obj.Metadata.Finalizers = ["example.com/hold"];
            return obj;
        });
        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "holder"), new DeleteOptions(PropagationPolicy: PropagationPolicy.Background));

        await _harness.CreatePodAsync(Pod("held", ReplicaSetRef("gone", Guid.NewGuid().ToString(), controller: true), ReplicaSetRef("holder", holder.Metadata.Uid, controller: false)));

        var pod = await _harness.WaitForPodAsync("held", p => p.Metadata.OwnerReferences?.Count == 1);
        Assert.Equal(holder.Metadata.Uid, pod.Metadata.OwnerReferences.Single().Uid);
        Assert.Null(pod.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData(PropagationPolicy.Foreground)]
    [InlineData(PropagationPolicy.Orphan)]
    public async Task A_pod_deleted_with_a_propagation_policy_still_goes(PropagationPolicy policy)
    {
        await _harness.CreatePodAsync(Pod("owner-of-nothing"));
        await _harness.WaitForPodAsync("owner-of-nothing", p => p.Status?.Phase == "Running");

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Pods, "default", "owner-of-nothing"), new DeleteOptions(PropagationPolicy: policy));

        await _harness.WaitForPodGoneAsync("owner-of-nothing");
    }
}
