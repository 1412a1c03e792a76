using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Functions.Tests.Support;
using DurableKube.Functions.Workflows;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Namespaces;
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
}
