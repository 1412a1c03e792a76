using DurableKube.Domain.Scheduling;
using k8s.Models;
using static DurableKube.Domain.Tests.Scheduling.SchedulingObjects;

namespace DurableKube.Domain.Tests.Scheduling;

public class PodRequestsTests
{
    private static V1Pod With(V1Container[] containers, V1Container[]? init = null, Dictionary<string, ResourceQuantity>? overhead = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", Uid = "u" },
        Spec = new V1PodSpec { Containers = containers, InitContainers = init, Overhead = overhead },
    };

    [Theory]
    // App containers add up.
    [InlineData("app:100m:64Mi,app2:250m:128Mi", "", 350, "192Mi")]
    // A regular init container runs alone: the larger of it and the app containers.
    [InlineData("app:100m:64Mi", "init:1:32Mi", 1000, "64Mi")]
    [InlineData("app:2:1Gi", "init:1:2Gi", 2000, "2Gi")]
    // A sidecar (restartPolicy Always) runs beside the app containers and beside the init containers after it.
    [InlineData("app:100m:64Mi", "side:200m:16Mi:Always", 300, "80Mi")]
    [InlineData("app:100m:64Mi", "side:200m:16Mi:Always,init:1:32Mi", 1200, "80Mi")]
    // An init container before the sidecar does not run beside it.
    [InlineData("app:100m:64Mi", "init:1:32Mi,side:200m:16Mi:Always", 1000, "80Mi")]
    // No requests at all: nothing (the scheduler's non-zero defaults are for scoring only).
    [InlineData("app::", "", 0, "0")]
    // Fractions of a millicore, and of a byte, round up, as Quantity.MilliValue and Value do.
    [InlineData("app:0.0001:1500m", "", 1, "2")]
    public void Requests_add_up_as_the_scheduler_adds_them(string apps, string inits, long milliCpu, string memory)
    {
        static V1Container[] Parse(string list) => list.Length == 0
            ? []
            : list.Split(',').Select(c => c.Split(':')).Select(p => Container(
                p[0],
                p[1].Length == 0 ? null : p[1],
                p[2].Length == 0 ? null : p[2],
                p.Length > 3 ? p[3] : null)).ToArray();

        var requests = PodRequests.Of(With(Parse(apps), Parse(inits)));

        Assert.Equal(milliCpu, requests.MilliCpu);
        Assert.Equal((long)new ResourceQuantity(memory).ToDecimal(), requests.Memory);
        Assert.Equal(1, requests.Pods);
    }

    [Fact]
    public void Overhead_is_added_and_pod_level_requests_replace_the_containers_cpu_and_memory()
    {
        var pod = With([Container("app", "1", "1Gi")], overhead: new() { ["cpu"] = new("250m"), ["memory"] = new("120Mi") });
        pod.Spec.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("3") } };

        var requests = PodRequests.Of(pod);

        Assert.Equal(3250, requests.MilliCpu);
        Assert.Equal((1024L + 120) * 1024 * 1024, requests.Memory);
    }

    [Theory]
    [InlineData("example.com/gpu", true)]
    [InlineData("nvidia.com/gpu", true)]
    [InlineData("hugepages-2Mi", true)]
    [InlineData("kubernetes.io/something", false)]
    [InlineData("requests.example.com/gpu", false)]
    [InlineData("storage", false)]
    public void Extended_resources_and_huge_pages_are_counted_by_name(string name, bool scalar)
    {
        Assert.Equal(scalar, ResourceTotals.IsScalar(name));
    }
}
