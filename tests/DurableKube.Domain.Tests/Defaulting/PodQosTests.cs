using DurableKube.Domain.Defaulting;
using k8s.Models;

namespace DurableKube.Domain.Tests.Defaulting;

public class PodQosTests
{
    [Theory]
    [InlineData(null, null, null, null, "BestEffort")]
    [InlineData("100m", null, null, null, "Burstable")]
    [InlineData("1", "1Gi", "1", "1Gi", "Guaranteed")]
    [InlineData("500m", "1Gi", "1", "1Gi", "Burstable")]
    [InlineData(null, null, "1", null, "Burstable")]
    public void Qos_follows_requests_and_limits(string? cpuRequest, string? memoryRequest, string? cpuLimit, string? memoryLimit, string expected)
    {
        var resources = new V1ResourceRequirements
        {
            Requests = Quantities(("cpu", cpuRequest), ("memory", memoryRequest)),
            Limits = Quantities(("cpu", cpuLimit), ("memory", memoryLimit)),
        };
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Resources = resources }] } };

        Assert.Equal(expected, PodQos.Compute(pod));
    }

    private static Dictionary<string, ResourceQuantity>? Quantities(params (string Name, string? Value)[] values)
    {
        var set = values.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => new ResourceQuantity(v.Value));
        return set.Count == 0 ? null : set;
    }
}
