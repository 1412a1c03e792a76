using DurableKube.Domain.Printing;
using k8s.Models;

namespace DurableKube.Domain.Tests.Printing;

public class NodeAndNamespacePrinterTests
{
    private static readonly DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("True", false, "Ready")]
    [InlineData("False", false, "NotReady")]
    [InlineData("Unknown", false, "NotReady")]
    [InlineData(null, false, "Unknown")]
    [InlineData("True", true, "Ready,SchedulingDisabled")]
    [InlineData(null, true, "Unknown,SchedulingDisabled")]
    public void Node_Status(string? ready, bool unschedulable, string expected)
    {
        var node = Node();
        node.Spec.Unschedulable = unschedulable;
        node.Status.Conditions = ready is null
            ? [new V1NodeCondition { Status = "False", Type = "MemoryPressure" }]
            : [new V1NodeCondition { Status = "False", Type = "MemoryPressure" }, new V1NodeCondition { Status = ready, Type = "Ready" }];

        Assert.Equal(expected, NodePrinter.Print(node, _now).Status);
    }

    [Theory]
    [InlineData(new string[0], "<none>")]
    [InlineData(new[] { "node-role.kubernetes.io/control-plane=" }, "control-plane")]
    [InlineData(new[] { "node-role.kubernetes.io/worker=", "node-role.kubernetes.io/control-plane=" }, "control-plane,worker")]
    [InlineData(new[] { "kubernetes.io/role=master" }, "master")]
    [InlineData(new[] { "kubernetes.io/role=", "node-role.kubernetes.io/=" }, "<none>")]
    [InlineData(new[] { "kubernetes.io/role=master", "node-role.kubernetes.io/master=" }, "master")]
    [InlineData(new[] { "app=web" }, "<none>")]
    public void Node_Roles(string[] labels, string expected)
    {
        var node = Node();
        node.Metadata.Labels = labels.Select(l => l.Split('=')).ToDictionary(l => l[0], l => l[1]);

        Assert.Equal(expected, NodePrinter.Print(node, _now).Roles);
    }

    [Fact]
    public void Node_Cells()
    {
        var node = Node();
        node.Metadata.CreationTimestamp = _now.UtcDateTime.AddDays(-3);
        node.Status.Conditions = [new V1NodeCondition { Status = "True", Type = "Ready" }];
        node.Status.Addresses = [new V1NodeAddress { Address = "n1", Type = "Hostname" }, new V1NodeAddress { Address = "10.0.0.1", Type = "InternalIP" }, new V1NodeAddress { Address = "20.0.0.1", Type = "ExternalIP" }];
        node.Status.NodeInfo = new V1NodeSystemInfo
        {
            Architecture = "amd64",
            ContainerRuntimeVersion = "containerd://1.7.0",
            KernelVersion = "6.1.0",
            KubeletVersion = "v1.32.0",
            OperatingSystem = "linux",
            OsImage = "Debian GNU/Linux 12",
        };

        var row = NodePrinter.Print(node, _now);

        Assert.Equal(["n1", "Ready", "<none>", "3d", "v1.32.0", "10.0.0.1", "20.0.0.1", "Debian GNU/Linux 12", "6.1.0", "containerd://1.7.0"], row.Cells(wide: true));
        Assert.Equal(5, row.Cells(wide: false).Count);
        Assert.Equal(NodePrinter.Columns.Count, row.Cells(wide: true).Count);
    }

    [Fact]
    public void Node_Wide_DefaultsWhenUnreported()
    {
        var row = NodePrinter.Print(Node(), _now);

        Assert.Equal(["<unknown>", string.Empty, "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], [row.Age, row.Version, row.InternalIp, row.ExternalIp, row.OsImage, row.KernelVersion, row.ContainerRuntime]);
    }

    [Theory]
    [InlineData("Active", 90, "Active", "90s")]
    [InlineData("Terminating", 3 * 86400, "Terminating", "3d")]
    [InlineData(null, 0, "", "0s")]
    public void Namespace_Row(string? phase, int ageSeconds, string status, string age)
    {
        var ns = new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = "team-a", CreationTimestamp = _now.UtcDateTime.AddSeconds(-ageSeconds) },
            Status = new V1NamespaceStatus { Phase = phase },
        };

        var row = NamespacePrinter.Print(ns, _now);

        Assert.Equal(["team-a", status, age], row.Cells());
        Assert.Equal(["Name", "Status", "Age"], NamespacePrinter.Columns.Select(c => c.Name));
    }

    private static V1Node Node() => new()
    {
        Metadata = new V1ObjectMeta { Name = "n1" },
        Spec = new V1NodeSpec(),
        Status = new V1NodeStatus(),
    };
}
