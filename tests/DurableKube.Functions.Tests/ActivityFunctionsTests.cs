using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Functions.Tests.Support;
using DurableKube.Functions.Workflows;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.CronJobs;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.GarbageCollection;
using DurableKube.Workflows.Jobs;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.StatefulSets;
using DurableKube.Workflows.Pods;
using k8s.Models;

namespace DurableKube.Functions.Tests;

/// <summary>The activity triggers delegate to the real activities, resolved from the invocation's services.</summary>
public sealed class ActivityFunctionsTests : IDisposable
{
    private readonly FunctionHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task SyncPod_binds_a_new_pod_and_starts_its_container()
    {
        await _harness.StoreNodeAsync();
        var pod = await _harness.StorePodAsync("web");
        var state = PodLifecycle.Initialize(pod, new KubeletOptions().ToSettings());
        var plan = PodLifecycle.Plan(state, DateTimeOffset.UtcNow);

        var result = await ActivityFunctions.SyncPodAsync(new SyncPodRequest(state, plan.Commands), _harness.Context);

        Assert.Contains(result.Outcomes, o => o is PodBound { NodeName: FunctionHarness.NodeName });
        Assert.Contains(result.Outcomes, o => o is ContainerStarted { Name: "app" });
        var stored = (V1Pod)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web")))!;
        Assert.Equal(FunctionHarness.NodeName, stored.Spec.NodeName);
        var launch = Assert.Single(_harness.Runtime.Launches);
        Assert.Equal(new ContainerRunId(pod.Metadata.Uid, "app", 0), launch.Id);
        Assert.Equal(ContainerRunState.Running, Assert.Single(_harness.Runtime.Runs).State);
        Assert.Equal("Running", stored.Status?.Phase);
    }

    [Fact]
    public async Task SyncNamespace_finalizes_an_empty_terminating_namespace_which_removes_it()
    {
        var ns = (V1Namespace)await _harness.Store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = "doomed", Uid = Guid.NewGuid().ToString(), DeletionTimestamp = DateTime.UtcNow },
            Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] },
            Status = new V1NamespaceStatus { Phase = "Terminating" },
        });

        var result = await ActivityFunctions.SyncNamespaceAsync(new NamespaceRef("doomed", ns.Metadata.Uid), _harness.Context);

        Assert.Equal(new NamespaceSyncResult(0, Removed: true), result);
        Assert.Null(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, "doomed")));
    }

    [Fact]
    public async Task SyncNamespace_counts_what_is_still_there_and_starts_deleting_it()
    {
        // Bound, so it is deleted gracefully (an unbound pod would go at once).
        var pod = await _harness.StorePodAsync("straggler", "doomed", p => p.Spec.NodeName = FunctionHarness.NodeName);

        var result = await ActivityFunctions.SyncNamespaceAsync(new NamespaceRef("doomed", Guid.NewGuid().ToString()), _harness.Context);

        Assert.Equal(new NamespaceSyncResult(1, Removed: false), result);
        var stored = (V1Pod)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "doomed", "straggler")))!;
        Assert.Equal(pod.Metadata.Uid, stored.Metadata.Uid);
        Assert.NotNull(stored.Metadata.DeletionTimestamp);
    }

    /// <summary>Each controller's activity trigger and the kind it syncs.</summary>
    public static TheoryData<string, string> ControllerActivities => new()
    {
        { SyncReplicaSetActivity.Name, ReplicaSetController.Definition.Kind.GroupResource },
        { SyncJobActivity.Name, JobController.Definition.Kind.GroupResource },
        { SyncCronJobActivity.Name, CronJobController.Definition.Kind.GroupResource },
        { SyncDeploymentActivity.Name, DeploymentController.Definition.Kind.GroupResource },
        { SyncStatefulSetActivity.Name, StatefulSetController.Definition.Kind.GroupResource },
        { SyncEndpointsActivity.Name, EndpointsController.Definition.Kind.GroupResource },
        { SyncNodeLifecycleActivity.Name, NodeLifecycleController.Definition.Kind.GroupResource },
    };

    private Task<ControllerSyncResult> SyncController(string activity, ControllerRef reference) => activity switch
    {
        SyncReplicaSetActivity.Name => ActivityFunctions.SyncReplicaSetAsync(reference, _harness.Context),
        SyncJobActivity.Name => ActivityFunctions.SyncJobAsync(reference, _harness.Context),
        SyncCronJobActivity.Name => ActivityFunctions.SyncCronJobAsync(reference, _harness.Context),
        SyncDeploymentActivity.Name => ActivityFunctions.SyncDeploymentAsync(reference, _harness.Context),
        SyncStatefulSetActivity.Name => ActivityFunctions.SyncStatefulSetAsync(reference, _harness.Context),
        SyncEndpointsActivity.Name => ActivityFunctions.SyncEndpointsAsync(reference, _harness.Context),
        SyncNodeLifecycleActivity.Name => ActivityFunctions.SyncNodeLifecycleAsync(reference, _harness.Context),
        _ => throw new ArgumentOutOfRangeException(nameof(activity), activity, "No such activity wrapper."),
    };

    [Theory]
    [MemberData(nameof(ControllerActivities))]
    public async Task A_controller_sync_of_an_object_that_is_not_there_says_it_is_gone(string activity, string resource)
    {
        var result = await SyncController(activity, new ControllerRef(resource, "default", "missing", Guid.NewGuid().ToString()));

        Assert.True(result.Gone);
    }

    [Fact]
    public async Task SyncReplicaSet_creates_the_pods_a_new_ReplicaSet_asks_for()
    {
        await _harness.Store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = "default", Uid = Guid.NewGuid().ToString() },
            Status = new V1NamespaceStatus { Phase = "Active" },
        });
        var rs = (V1ReplicaSet)await _harness.Store.CreateAsync(ResourceTypes.ReplicaSets, new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = Guid.NewGuid().ToString(), Generation = 1 },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = FunctionHarness.Pod("template").Spec,
                },
            },
        });

        var result = await ActivityFunctions.SyncReplicaSetAsync(
            new ControllerRef(ReplicaSetController.Definition.Kind.GroupResource, "default", "web", rs.Metadata.Uid), _harness.Context);

        Assert.False(result.Gone);
        var pods = await _harness.Store.ListAsync(ResourceTypes.Pods, "default", ListQuery.All);
        Assert.Equal(2, pods.Items.Count);
        Assert.All(pods.Items, p => Assert.Equal(rs.Metadata.Uid, Assert.Single(p.Metadata.OwnerReferences).Uid));
    }

    [Fact]
    public async Task CollectGarbage_deletes_the_dependents_of_an_owner_that_is_gone()
    {
        var owner = new OwnerRef("apps/v1", "ReplicaSet", "default", "gone", Guid.NewGuid().ToString());
        await _harness.StorePodAsync("orphan", change: p => p.Metadata.OwnerReferences =
            [new V1OwnerReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Name, Uid = owner.Uid, Controller = true }]);

        var done = await ActivityFunctions.CollectGarbageAsync(owner, _harness.Context);

        Assert.True(done);
        Assert.Null(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "orphan")));
    }

    [Fact]
    public void Every_activity_of_the_catalog_is_covered_by_a_test_here()
    {
        // ObserveNode is tested in NodeAgentLoopTests, ResyncChanges in ChangeFunctionsTests.
        var covered = new[] { SyncPodActivity.Name, SyncNamespaceActivity.Name, CollectGarbageActivity.Name,
                DurableKube.Workflows.Nodes.ObserveNodeActivity.Name, DurableKube.Workflows.Dispatch.ResyncChangesActivity.Name }
            .Concat(ControllerActivities.Select(row => (string)row[0]));

        Assert.Equal(DurableKube.Workflows.Hosting.WorkflowCatalog.Activities.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }
}
