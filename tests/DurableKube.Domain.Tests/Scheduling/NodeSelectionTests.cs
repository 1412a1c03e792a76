using DurableKube.Domain.Scheduling;
using k8s.Models;

namespace DurableKube.Domain.Tests.Scheduling;

public class NodeSelectionTests
{
    private static V1Node Node(string name, bool ready = true, bool unschedulable = false, Dictionary<string, string>? labels = null, V1Taint? taint = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1NodeSpec { Unschedulable = unschedulable, Taints = taint is null ? null : [taint] },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private static V1Pod Pod(string uid = "uid-1", Dictionary<string, string>? selector = null, V1Toleration? toleration = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Uid = uid },
        Spec = new V1PodSpec { Containers = [], NodeSelector = selector, Tolerations = toleration is null ? null : [toleration] },
    };

    [Fact]
    public void A_ready_node_takes_the_pod()
    {
        Assert.Equal(new NodeChoice("local", null), NodeSelection.Choose(Pod(), [Node("local")]));
    }

    [Fact]
    public void No_node_at_all_is_said_plainly()
    {
        Assert.Equal("0/0 nodes are available. preemption: not eligible due to preemptionPolicy=Never.", NodeSelection.Choose(Pod(), []).Message);
    }

    [Fact]
    public void Each_node_that_does_not_fit_is_counted_under_its_reason()
    {
        var nodes = new[]
        {
            Node("a", ready: false),
            Node("b", unschedulable: true),
            Node("c", labels: new() { ["disk"] = "hdd" }),
            Node("d", labels: new() { ["disk"] = "hdd" }),
        };

        var choice = NodeSelection.Choose(Pod(selector: new() { ["disk"] = "ssd" }), nodes);

        Assert.Null(choice.NodeName);
        Assert.Equal(
            "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: not eligible due to preemptionPolicy=Never.",
            choice.Message);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("Exists", true)]
    [InlineData("Equal", true)]
    public void A_NoSchedule_taint_needs_a_toleration(string? op, bool fits)
    {
        var node = Node("gpu", taint: new V1Taint { Key = "gpu", Value = "yes", Effect = "NoSchedule" });
        var toleration = op is null ? null : new V1Toleration { Key = "gpu", OperatorProperty = op, Value = op == "Equal" ? "yes" : null, Effect = "NoSchedule" };

        Assert.Equal(fits, NodeSelection.Choose(Pod(toleration: toleration), [node]).NodeName is not null);
    }

    [Fact]
    public void The_choice_is_stable_for_a_pod_and_spreads_pods_over_nodes()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => Node($"n{i}")).ToArray();

        var first = NodeSelection.Choose(Pod("uid-42"), nodes).NodeName;
        Assert.Equal(first, NodeSelection.Choose(Pod("uid-42"), nodes.Reverse().ToArray()).NodeName);

        var used = Enumerable.Range(0, 64).Select(i => NodeSelection.Choose(Pod($"uid-{i}"), nodes).NodeName).Distinct().Count();
        Assert.Equal(4, used);
    }
}
