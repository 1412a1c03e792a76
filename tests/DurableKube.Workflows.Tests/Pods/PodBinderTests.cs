using DurableKube.Domain.Kinds;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Pods;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>What a scheduling attempt reads: the nodes always, the placed pods only when a node's answer depends on them, and that list shared for a second.</summary>
public sealed class PodBinderTests
{
    private readonly InMemoryObjectStore _inner = new();
    private readonly FaultyObjectStore _store;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly PodBinder _binder;
    private int _podLists;

    public PodBinderTests()
    {
        _store = new FaultyObjectStore(_inner)
        {
            Fault = (operation, type, _) =>
            {
                if (operation == "List" && type == ResourceTypes.Pods)
                {
                    Interlocked.Increment(ref _podLists);
                    return FailNextList ? new StoreException(StoreErrorKind.Unavailable, null, "storage is unavailable") : null;
                }

                return null;
            },
        };
        _binder = new PodBinder(
            new ObjectRegistry(_store, BuiltInKinds.Registry(), [], _time, NullLogger<ObjectRegistry>.Instance), _time, NullLogger<PodBinder>.Instance);
    }

    private bool FailNextList { get; set; }

    private Task StoreNodeAsync(string cpu, Dictionary<string, string>? labels = null) => _inner.CreateAsync(ResourceTypes.Nodes, new V1Node
    {
        ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = "node-1", Uid = "n-node-1", Labels = labels },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("4Gi"), ["pods"] = new("110") },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    });

    private async Task<V1Pod> StorePodAsync(string name, string cpu, Dictionary<string, string>? nodeSelector = null) =>
        (V1Pod)await _inner.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name },
            Spec = new V1PodSpec
            {
                NodeSelector = nodeSelector,
                Containers =
                [
                    new V1Container
                    {
                        Name = "app", Image = "busybox",
                        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
                    },
                ],
            },
            Status = new V1PodStatus { Phase = "Pending" },
        });

    private async Task<KubeletOutcome> BindAsync(string name, string cpu, Dictionary<string, string>? nodeSelector = null) =>
        await _binder.BindAsync(await StorePodAsync(name, cpu, nodeSelector));

    [Fact]
    public async Task Attempts_within_a_second_share_one_list_of_the_placed_pods_and_still_count_the_pods_bound_meanwhile()
    {
        await StoreNodeAsync(cpu: "2");

        var first = await BindAsync("first", "1500m");
        var second = await BindAsync("second", "1");

        // The list the second attempt used was read before the first pod's binding: it counts it as an assumed pod.
        Assert.Equal("node-1", Assert.IsType<PodBound>(first).NodeName);
        Assert.StartsWith("0/1 nodes are available: 1 Insufficient cpu.", Assert.IsType<PodUnschedulable>(second).Message, StringComparison.Ordinal);
        Assert.Equal(1, _podLists);

        _time.Advance(PodBinder.PlacedListReuse);
        Assert.IsType<PodBound>(await BindAsync("third", "500m"));
        Assert.Equal(2, _podLists);
    }

    [Fact]
    public async Task A_pod_no_node_takes_whatever_is_placed_is_refused_without_a_list_of_the_pods()
    {
        await StoreNodeAsync(cpu: "2", labels: new() { ["disk"] = "hdd" });

        var refused = await BindAsync("picky", "1", nodeSelector: new() { ["disk"] = "ssd" });

        Assert.StartsWith(
            "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.", Assert.IsType<PodUnschedulable>(refused).Message, StringComparison.Ordinal);
        Assert.Equal(0, _podLists);
    }

    [Fact]
    public async Task A_list_that_failed_is_not_shared_with_the_next_attempt()
    {
        await StoreNodeAsync(cpu: "2");
        FailNextList = true;
        await Assert.ThrowsAsync<StoreException>(() => BindAsync("unlucky", "1"));

        FailNextList = false;
        Assert.IsType<PodBound>(await BindAsync("lucky", "1"));
        Assert.Equal(2, _podLists);
    }
}
