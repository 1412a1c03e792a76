using DurableKube.Domain.Printing;
using k8s.Models;

namespace DurableKube.Domain.Tests.Services;

public sealed class ServicePrinterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Service Service(string type, string? clusterIP, V1ServicePort[] ports, Dictionary<string, string>? selector = null, string? externalName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", CreationTimestamp = Now.AddMinutes(-5).UtcDateTime },
        Spec = new V1ServiceSpec { Type = type, ClusterIP = clusterIP, Ports = ports, Selector = selector, ExternalName = externalName },
    };

    [Fact]
    public void The_columns_are_kubectls() =>
        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"], ServicePrinter.Columns.Select(c => c.Name));

    public static TheoryData<V1Service, string, string, string, string, string> Rows => new()
    {
        { Service("ClusterIP", "127.96.0.10", [new V1ServicePort { Port = 80, Protocol = "TCP" }], new() { ["b"] = "2", ["app"] = "web" }), "ClusterIP", "127.96.0.10", "<none>", "80/TCP", "app=web,b=2" },
        { Service("ClusterIP", "None", [], null), "ClusterIP", "None", "<none>", "<none>", "<none>" },
        { Service("NodePort", "127.96.0.11", [new V1ServicePort { Port = 80, NodePort = 30080, Protocol = "TCP" }, new V1ServicePort { Port = 53, Protocol = "UDP" }]), "NodePort", "127.96.0.11", "<none>", "80:30080/TCP,53/UDP", "<none>" },
        { Service("LoadBalancer", "127.96.0.12", [new V1ServicePort { Port = 443, Protocol = "TCP" }]), "LoadBalancer", "127.96.0.12", "<pending>", "443/TCP", "<none>" },
        { Service("ExternalName", null, [], externalName: "example.com"), "ExternalName", "<none>", "example.com", "<none>", "<none>" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Rows_show_what_kubectl_shows(V1Service service, string type, string clusterIP, string externalIP, string ports, string selector)
    {
        var cells = ServicePrinter.Cells(service, Now);

        Assert.Equal(["web", type, clusterIP, externalIP, ports, "5m", selector], cells);
    }

    [Fact]
    public void Endpoints_show_three_addresses_then_how_many_more()
    {
        var endpoints = new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Subsets =
            [
                new V1EndpointSubset
                {
                    Addresses = [.. Enumerable.Range(1, 5).Select(i => new V1EndpointAddress { Ip = $"127.1.0.{i}" })],
                    Ports = [new Corev1EndpointPort { Port = 8080 }],
                },
            ],
        };

        Assert.Equal("127.1.0.1:8080,127.1.0.2:8080,127.1.0.3:8080 + 2 more...", ServicePrinter.FormatEndpoints(endpoints));
        Assert.Equal("<none>", ServicePrinter.FormatEndpoints(new V1Endpoints { Metadata = new V1ObjectMeta { Name = "x" } }));
        Assert.Equal(["Name", "Endpoints", "Age"], ServicePrinter.EndpointsColumns.Select(c => c.Name));
    }

    [Fact]
    public void EndpointSlices_show_their_address_type_ports_and_endpoints()
    {
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "web-abcde", CreationTimestamp = Now.AddSeconds(-30).UtcDateTime },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Port = 8080 }],
            Endpoints = [.. Enumerable.Range(1, 4).Select(i => new V1Endpoint { Addresses = [$"127.1.0.{i}"] })],
        };
        var empty = new V1EndpointSlice { Metadata = new V1ObjectMeta { Name = "web-x" }, AddressType = "IPv4", Endpoints = [], Ports = [] };

        Assert.Equal(["web-abcde", "IPv4", "8080", "127.1.0.1,127.1.0.2,127.1.0.3 + 1 more...", "30s"], ServicePrinter.EndpointSliceCells(slice, Now));
        Assert.Equal("<unset>", ServicePrinter.EndpointSliceCells(empty, Now)[2]);
        Assert.Equal("<unset>", ServicePrinter.EndpointSliceCells(empty, Now)[3]);
        Assert.Equal(["Name", "AddressType", "Ports", "Endpoints", "Age"], ServicePrinter.EndpointSliceColumns.Select(c => c.Name));
    }
}
