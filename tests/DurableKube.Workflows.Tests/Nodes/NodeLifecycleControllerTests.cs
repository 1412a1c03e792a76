using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Nodes;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Nodes;

/// <summary>
/// The node lifecycle controller with the real workflows: a node whose agent stops reporting turns Unknown and is tainted,
/// its pods turn unready and are deleted once their toleration runs out, their ReplicaSet replaces them on the other node,
/// and the node loses its taints once it reports again.
/// </summary>
public sealed class NodeLifecycleControllerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync(
        new Dictionary<string, string?> { ["NodeLifecycle:GracePeriod"] = "00:00:03" }, runNodeAgent: true, "node-2");

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1ReplicaSet Web(long tolerationSeconds) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Tolerations =
                    [
                        new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = tolerationSeconds },
                    ],
                    Containers = [new V1Container { Name = "web", Image = "web:1", Command = ["sleep", "3600"] }],
                },
            },
        },
    };

    private async Task<List<V1Pod>> PodsAsync() =>
        (await _harness.Store.ListAsync(ResourceTypes.Pods, "default", ListQuery.All)).Items.Cast<V1Pod>().ToList();

    private async Task<V1Node> NodeAsync(string name) =>
        (V1Node)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, name)))!;

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = await read();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}; last: {DurableKube.Domain.Serialization.KubeJson.Serialize(last)}");
            }

            await Task.Delay(25);
            last = await read();
        }

        return last;
    }

    [Fact]
    public async Task A_node_that_stops_reporting_goes_Unknown_its_pods_are_replaced_elsewhere_and_it_is_untainted_when_it_reports_again()
    {
        await _harness.Registry.CreateAsync(ResourceTypes.ReplicaSets, Web(tolerationSeconds: 5));
        var first = await EventuallyAsync(PodsAsync, pods => pods.Count == 2 && pods.All(p => p.Status?.Phase == "Running"), "two running pods");
        Assert.All(first, p => Assert.Equal("node-1", p.Spec.NodeName));

        // A second node joins; then node-1's agent stops reporting.
        using var second = _harness.AgentOf("node-2");
        await second.StartAsync(CancellationToken.None);
        await _harness.NodeAgent.StopAsync(CancellationToken.None);

        var unknown = await EventuallyAsync(() => NodeAsync("node-1"), n => n.Status.Conditions.Single(c => c.Type == "Ready").Status == "Unknown", "node-1 Unknown");
        var ready = unknown.Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("NodeStatusUnknown", "Kubelet stopped posting node status."), (ready.Reason, ready.Message));
        var tainted = await EventuallyAsync(() => NodeAsync("node-1"), n => n.Spec.Taints?.Count == 2, "node-1 tainted");
        Assert.Equal(
            ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"],
            tainted.Spec.Taints.Select(t => $"{t.Key}:{t.Effect}"));
        Assert.NotNull(tainted.Spec.Taints.Single(t => t.Effect == "NoExecute").TimeAdded);

        // Its pods are unready first (their 5 s toleration has not run out yet), then deleted.
        var firstUids = first.Select(p => p.Metadata.Uid).ToHashSet();
        var unready = await EventuallyAsync(
            PodsAsync,
            pods => pods.Where(p => firstUids.Contains(p.Metadata.Uid)).All(p => p.Status.Conditions.Single(c => c.Type == "Ready").Status == "False"),
            "the pods of node-1 unready");
        Assert.All(unready, p => Assert.Null(p.Metadata.DeletionTimestamp));
        var evicted = await EventuallyAsync(
            PodsAsync, pods => pods.Where(p => firstUids.Contains(p.Metadata.Uid)).All(p => p.Metadata.DeletionTimestamp is not null), "the pods of node-1 deleted");
        Assert.All(evicted.Where(p => firstUids.Contains(p.Metadata.Uid)), p =>
        {
            var target = p.Status.Conditions.Single(c => c.Type == "DisruptionTarget");
            Assert.Equal(("True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint"), (target.Status, target.Reason, target.Message));
        });

        // The ReplicaSet replaces them on node-2 (node-1 is tainted unreachable). The old ones stay Terminating: nothing
        // reports their containers' exits while node-1 is silent, as on a cluster whose node is unreachable.
        var replaced = await EventuallyAsync(
            PodsAsync,
            pods => pods.Count(p => !firstUids.Contains(p.Metadata.Uid) && p.Status?.Phase == "Running") == 2,
            "two replacements running");
        Assert.All(replaced.Where(p => !firstUids.Contains(p.Metadata.Uid)), p => Assert.Equal("node-2", p.Spec.NodeName));

        // node-1 reports again: Ready, its taints are gone, and the exits of what it stopped finish the old pods.
        await _harness.NodeAgent.StartAsync(CancellationToken.None);
        var back = await EventuallyAsync(() => NodeAsync("node-1"), n => n.Spec.Taints is null || n.Spec.Taints.Count == 0, "node-1 untainted");
        Assert.Equal("True", back.Status.Conditions.Single(c => c.Type == "Ready").Status);
        var after = await EventuallyAsync(PodsAsync, pods => pods.Count == 2, "the old pods gone");
        Assert.All(after, p => Assert.Equal("node-2", p.Spec.NodeName));
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_controller_of_a_node_that_holds_nothing_waits_for_a_wake_instead_of_ending()
    {
        // A workflow that completed drops the wake raised to it at that moment: the binding of a pod would go unseen and
        // the node's silence unnoticed until the dispatcher's next resync. So it ends only with its node.
        var node = await NodeAsync("node-1");
        var instanceId = NodeLifecycleController.Definition.InstanceIdFor(node.Metadata.Uid);
        var synced = await EventuallyAsync(
            () => _harness.Workflows.GetDetailsAsync(instanceId, historyLimit: 0),
            d => d is { State: not WorkflowInstanceState.Running } || d?.CustomStatus?.Contains("signal", StringComparison.Ordinal) == true,
            "the node's controller to sync and wait");
        Assert.Equal(WorkflowInstanceState.Running, synced!.State);

        // It waits for a wake alone, with no timer: an idle node costs nothing.
        Assert.DoesNotContain("timer", synced.CustomStatus, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cordoned_node_gets_the_unschedulable_taint_and_loses_it_when_uncordoned()
    {
        await SetUnschedulableAsync(true);
        var cordoned = await EventuallyAsync(() => NodeAsync("node-1"), n => n.Spec.Taints?.Count == 1, "node-1 cordoned");
        Assert.Equal("node.kubernetes.io/unschedulable:NoSchedule", cordoned.Spec.Taints.Select(t => $"{t.Key}:{t.Effect}").Single());

        await SetUnschedulableAsync(false);
        await EventuallyAsync(() => NodeAsync("node-1"), n => n.Spec.Taints is null || n.Spec.Taints.Count == 0, "node-1 uncordoned");
    }

    private Task SetUnschedulableAsync(bool value) =>
        _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Nodes, null, "node-1"), obj =>
        {
            ((V1Node)obj).Spec.Unschedulable = value ? true : null;
            return obj;
        });
}
