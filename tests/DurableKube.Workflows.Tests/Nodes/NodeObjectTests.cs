using DurableKube.Ports.Runtime;
using DurableKube.Workflows.Nodes;

namespace DurableKube.Workflows.Tests.Nodes;

public sealed class NodeObjectTests
{
    private static NodeDescription Description(IReadOnlyDictionary<string, string>? allocatable) => new(
        "host", "127.0.0.1",
        new Dictionary<string, string> { ["cpu"] = "2", ["memory"] = "4194304Ki", ["pods"] = "110" },
        "linux", "amd64", "6.1.0", "Test OS", "process://1.0.0", allocatable);

    [Fact]
    public void Allocatable_is_what_the_runtime_reports_else_the_capacity()
    {
        var reserved = NodeObject.Create("n", Description(new Dictionary<string, string> { ["cpu"] = "2", ["memory"] = "4091904Ki", ["pods"] = "110" }), DateTimeOffset.UtcNow);
        var plain = NodeObject.Create("n", Description(null), DateTimeOffset.UtcNow);

        Assert.Equal(4194304m * 1024, reserved.Status.Capacity["memory"].ToDecimal());
        Assert.Equal(4091904m * 1024, reserved.Status.Allocatable["memory"].ToDecimal());
        Assert.Equal(4194304m * 1024, plain.Status.Allocatable["memory"].ToDecimal());
        Assert.Equal(110m, plain.Status.Allocatable["pods"].ToDecimal());
    }

    [Theory]
    [InlineData(null, 110)]
    [InlineData(250, 250)]
    public void The_kubelets_maxPods_is_the_pods_capacity_and_allocatable(int? maxPods, int expected)
    {
        var reserved = NodeObject.Create("n", NodeObject.WithMaxPods(Description(new Dictionary<string, string> { ["pods"] = "110" }), maxPods), DateTimeOffset.UtcNow);
        var plain = NodeObject.Create("n", NodeObject.WithMaxPods(Description(null), maxPods), DateTimeOffset.UtcNow);

        Assert.Equal(expected, reserved.Status.Capacity["pods"].ToDecimal());
        Assert.Equal(expected, reserved.Status.Allocatable["pods"].ToDecimal());
        Assert.Equal(expected, plain.Status.Allocatable["pods"].ToDecimal());
        Assert.Equal(2m, plain.Status.Capacity["cpu"].ToDecimal());
    }
}
