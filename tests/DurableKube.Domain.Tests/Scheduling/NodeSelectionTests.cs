using DurableKube.Domain.Scheduling;
using k8s.Models;
using static DurableKube.Domain.Tests.Scheduling.SchedulingObjects;

namespace DurableKube.Domain.Tests.Scheduling;

public class NodeSelectionTests
{
    [Fact]
    public void A_ready_node_with_room_takes_the_pod()
    {
        Assert.Equal(new NodeChoice("local", null), NodeSelection.Choose(Pod(cpu: "1"), [Node("local")], []));
    }

    [Fact]
    public void No_node_at_all_is_said_as_the_scheduler_says_it()
    {
        Assert.Equal("no nodes available to schedule pods", NodeSelection.Choose(Pod(), [], []).Message);
    }

    [Fact]
    public void A_pod_asking_for_100_cpus_fits_no_2_cpu_machine()
    {
        var choice = NodeSelection.Choose(Pod(cpu: "100"), [Node("local", cpu: "2")], []);

        Assert.Null(choice.NodeName);
        Assert.Equal(
            "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            choice.Message);
    }

    [Fact]
    public void What_is_placed_counts_and_the_pod_itself_does_not()
    {
        var nodes = new[] { Node("a", cpu: "2"), Node("b", cpu: "2") };
        var placed = new[]
        {
            Pod("on-a", cpu: "1500m", node: "a", phase: "Running"),
            Pod("on-b", cpu: "1", node: "b", phase: "Running"),
            Pod("done-on-b", cpu: "2", node: "b", phase: "Succeeded"),
            Pod("me", cpu: "1", node: "b"),
        };

        Assert.Equal("b", NodeSelection.Choose(Pod("me", cpu: "1"), nodes, placed).NodeName);
        Assert.Null(NodeSelection.Choose(Pod("other", cpu: "1"), nodes, placed.Append(Pod("x", cpu: "1", node: "b"))).NodeName);
    }

    [Theory]
    // Each node counted under the reason of the first filter that turned it down, in the scheduler's filter order.
    [InlineData("cordoned", "1 node(s) were unschedulable", "1 Preemption is not helpful for scheduling")]
    [InlineData("tainted", "1 node(s) had untolerated taint {dedicated: gpu}", "1 Preemption is not helpful for scheduling")]
    [InlineData("not-ready", "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }", "1 Preemption is not helpful for scheduling")]
    [InlineData("unreachable", "1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }", "1 Preemption is not helpful for scheduling")]
    [InlineData("elsewhere", "1 node(s) didn't match Pod's node affinity/selector", "1 Preemption is not helpful for scheduling")]
    [InlineData("small", "1 Insufficient cpu, 1 Insufficient memory", "1 No preemption victims found for incoming pod")]
    [InlineData("full", "1 Too many pods", "1 No preemption victims found for incoming pod")]
    [InlineData("cordoned-tainted-small", "1 node(s) were unschedulable", "1 Preemption is not helpful for scheduling")]
    [InlineData("tainted-elsewhere", "1 node(s) had untolerated taint {dedicated: gpu}", "1 Preemption is not helpful for scheduling")]
    public void A_node_is_turned_down_by_its_first_failing_filter(string kind, string reasons, string preemption)
    {
        var node = kind switch
        {
            "cordoned" => Node(kind, unschedulable: true),
            "tainted" => Node(kind, taints: [Taint("dedicated", "gpu", "NoSchedule")]),
            "not-ready" => Node(kind, ready: "False"),
            "unreachable" => Node(kind, ready: "Unknown"),
            "elsewhere" => Node(kind, labels: new() { ["disk"] = "hdd" }),
            "small" => Node(kind, cpu: "1", memory: "1Gi", labels: new() { ["disk"] = "ssd" }),
            "full" => Node(kind, pods: "0", labels: new() { ["disk"] = "ssd" }),
            "cordoned-tainted-small" => Node(kind, cpu: "1", unschedulable: true, taints: [Taint("dedicated", "gpu", "NoSchedule")]),
            _ => Node(kind, cpu: "1", labels: new() { ["disk"] = "hdd" }, taints: [Taint("dedicated", "gpu", "NoSchedule")]),
        };
        var pod = Pod(cpu: "2", memory: "2Gi");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };

        var choice = NodeSelection.Choose(pod, [node], []);

        Assert.Equal($"0/1 nodes are available: {reasons}. preemption: 0/1 nodes are available: {preemption}.", choice.Message);
    }

    [Theory]
    // Refused on the nodes alone exactly when Choose refuses whatever is placed, with Choose's message; a node whose
    // answer depends on what is placed (room, pod count) leaves the choice to Choose.
    [InlineData("cordoned", true)]
    [InlineData("tainted", true)]
    [InlineData("elsewhere", true)]
    [InlineData("none", true)]
    [InlineData("small", false)]
    [InlineData("full", false)]
    [InlineData("roomy", false)]
    [InlineData("elsewhere-and-roomy", false)]
    public void A_pod_no_node_takes_whatever_is_placed_is_refused_without_the_placed_pods(string kind, bool refused)
    {
        V1Node[] nodes = kind switch
        {
            "cordoned" => [Node(kind, unschedulable: true)],
            "tainted" => [Node(kind, taints: [Taint("dedicated", "gpu", "NoSchedule")]), Node("tainted-too", taints: [Taint("dedicated", "gpu", "NoSchedule")])],
            "elsewhere" => [Node(kind, labels: new() { ["disk"] = "hdd" })],
            "none" => [],
            "small" => [Node(kind, cpu: "1", labels: new() { ["disk"] = "ssd" })],
            "full" => [Node(kind, pods: "0", labels: new() { ["disk"] = "ssd" })],
            "roomy" => [Node(kind, labels: new() { ["disk"] = "ssd" })],
            _ => [Node("elsewhere", labels: new() { ["disk"] = "hdd" }), Node("roomy", labels: new() { ["disk"] = "ssd" })],
        };
        var pod = Pod(cpu: "2");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        var placed = new[] { Pod("busy", cpu: "1", node: nodes.FirstOrDefault()?.Metadata.Name ?? "gone", phase: "Running") };

        var early = NodeSelection.RefuseRegardlessOfPlacement(pod, nodes);

        Assert.Equal(refused, early is not null);
        if (early is not null)
        {
            Assert.Equal(NodeSelection.Choose(pod, nodes, placed), early);
        }
    }

    [Fact]
    public void Reasons_are_counted_over_nodes_and_sorted_as_strings_as_the_scheduler_sorts_them()
    {
        var nodes = new[]
        {
            Node("a", cpu: "1"),
            Node("b", cpu: "1"),
            Node("c", taints: [Taint("k", "v", "NoSchedule")]),
            Node("d", cpu: "1", memory: "1Gi"),
        };

        var choice = NodeSelection.Choose(Pod(cpu: "2", memory: "2Gi"), nodes, []);

        Assert.Equal(
            "0/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {k: v}, 3 Insufficient cpu. "
            + "preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
            choice.Message);
    }

    [Fact]
    public void A_pod_that_may_not_preempt_says_so()
    {
        var pod = Pod(cpu: "100");
        pod.Spec.PreemptionPolicy = "Never";

        Assert.Equal(
            "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
            NodeSelection.Choose(pod, [Node("local")], []).Message);
    }

    [Fact]
    public void A_cordoned_node_takes_a_pod_that_tolerates_its_cordon()
    {
        var pod = Pod();
        pod.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" }];

        Assert.Equal("cordoned", NodeSelection.Choose(pod, [Node("cordoned", unschedulable: true)], []).NodeName);
    }

    [Fact]
    public void The_choice_is_stable_for_a_pod_and_spreads_pods_over_nodes()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => Node($"n{i}")).ToArray();

        var first = NodeSelection.Choose(Pod("uid-42"), nodes, []).NodeName;
        Assert.Equal(first, NodeSelection.Choose(Pod("uid-42"), nodes.Reverse().ToArray(), []).NodeName);

        var used = Enumerable.Range(0, 64).Select(i => NodeSelection.Choose(Pod($"uid-{i}"), nodes, []).NodeName).Distinct().Count();
        Assert.Equal(4, used);
    }

    [Fact]
    public void Only_feasible_nodes_are_chosen_among()
    {
        var nodes = new[] { Node("big", cpu: "8"), Node("small-1", cpu: "1"), Node("small-2", cpu: "1") };

        Assert.All(Enumerable.Range(0, 32), i => Assert.Equal("big", NodeSelection.Choose(Pod($"uid-{i}", cpu: "4"), nodes, []).NodeName));
    }
}
