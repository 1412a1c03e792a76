using DurableKube.Domain.Scheduling;
using k8s.Models;
using static DurableKube.Domain.Tests.Scheduling.SchedulingObjects;

namespace DurableKube.Domain.Tests.Scheduling;

public class NodeResourcesFitTests
{
    [Theory]
    // cpu "100" on a 2-CPU node.
    [InlineData("100", null, "", "Insufficient cpu")]
    [InlineData("2", "4Gi", "", "")]
    [InlineData("2001m", null, "", "Insufficient cpu")]
    [InlineData(null, "5Gi", "", "Insufficient memory")]
    [InlineData("3", "5Gi", "", "Insufficient cpu|Insufficient memory")]
    // What the pods already on the node request counts: 1.5 of 2 CPUs taken.
    [InlineData("500m", null, "1500m", "")]
    [InlineData("501m", null, "1500m", "Insufficient cpu")]
    // A pod that requests nothing fits whatever the others take, while there is room for one more pod.
    [InlineData(null, null, "2", "")]
    public void Requests_fit_in_allocatable_less_what_is_placed(string? cpu, string? memory, string placedCpu, string expected)
    {
        var node = Node("n", cpu: "2", memory: "4Gi");
        var usage = placedCpu.Length == 0 ? NodeUsage.Empty : NodeUsage.Empty.With(Pod("other", cpu: placedCpu, node: "n"));

        var status = NodeResourcesFit.Filter(PodRequests.Of(Pod(cpu: cpu, memory: memory)), node, usage);

        Assert.Equal(expected, string.Join('|', status?.Reasons ?? []));
        Assert.True(status?.Resolvable ?? true);
    }

    [Fact]
    public void A_full_node_has_too_many_pods()
    {
        var node = Node("n", pods: "2");
        var usage = NodeUsage.Empty.With(Pod("a", node: "n")).With(Pod("b", node: "n"));

        Assert.Equal(["Too many pods"], NodeResourcesFit.Filter(PodRequests.Of(Pod()), node, usage)!.Reasons);
    }

    [Fact]
    public void A_node_that_reports_no_allocatable_has_room_for_nothing()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "bare" } };

        Assert.Equal(["Too many pods", "Insufficient cpu"], NodeResourcesFit.Filter(PodRequests.Of(Pod(cpu: "1")), node, NodeUsage.Empty)!.Reasons);
    }

    [Fact]
    public void An_extended_resource_the_node_lacks_is_insufficient()
    {
        var pod = Pod();
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["example.com/gpu"] = new("1") } };

        Assert.Equal(["Insufficient example.com/gpu"], NodeResourcesFit.Filter(PodRequests.Of(pod), Node("n"), NodeUsage.Empty)!.Reasons);
    }

    [Fact]
    public void Terminal_and_unbound_pods_occupy_no_node_and_a_uid_counts_once()
    {
        var pods = new[]
        {
            Pod("running", cpu: "1", node: "n", phase: "Running"),
            Pod("running", cpu: "1", node: "n", phase: "Running"),
            Pod("pending-bound", cpu: "250m", node: "n"),
            Pod("done", cpu: "1", node: "n", phase: "Succeeded"),
            Pod("failed", cpu: "1", node: "n", phase: "Failed"),
            Pod("unbound", cpu: "1"),
            Pod("elsewhere", cpu: "1", node: "m", phase: "Running"),
        };

        var usage = NodeUsage.ByNode(pods);

        Assert.Equal(1250, usage["n"].Requested.MilliCpu);
        Assert.Equal(2, usage["n"].PodCount);
        Assert.Equal(1, usage["m"].PodCount);
    }
}
