using DurableKube.Domain.Services;
using k8s.Models;

namespace DurableKube.Domain.Tests.Services;

public sealed class ProxyRoutesTests
{
    private static V1Service Service(string name, string? clusterIP, string type = "ClusterIP", params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1ServiceSpec { Type = type, ClusterIP = clusterIP, Ports = ports },
    };

    private static V1Endpoints Endpoints(string name, string portName, int port, params string[] ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Subsets =
        [
            new V1EndpointSubset
            {
                Addresses = [.. ready.Select(ip => new V1EndpointAddress { Ip = ip })],
                NotReadyAddresses = [new V1EndpointAddress { Ip = "127.1.9.9" }],
                Ports = [new Corev1EndpointPort { Name = portName, Port = port }],
            },
        ],
    };

    [Fact]
    public void Each_TCP_port_of_a_ClusterIP_forwards_to_the_ready_addresses_of_its_named_port()
    {
        var services = new[]
        {
            Service("web", "127.96.0.10", "ClusterIP", new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }, new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }),
            Service("headless", "None", "ClusterIP", new V1ServicePort { Port = 80 }),
            Service("alias", null, "ExternalName"),
            Service("empty", "127.96.0.11", "ClusterIP", new V1ServicePort { Port = 8080 }),
        };
        var endpoints = new[] { Endpoints("web", "http", 8080, "127.1.0.2", "127.1.0.1"), Endpoints("headless", string.Empty, 80, "127.1.0.5") };

        var routes = ProxyRoutes.Plan(services, endpoints);

        Assert.Equal(2, routes.Count);
        var web = routes[0];
        Assert.Equal(("127.96.0.10", 80, "shop/web:http"), (web.ClusterIP, web.Port, web.Service));
        Assert.Equal([("127.1.0.1", 8080), ("127.1.0.2", 8080)], web.Backends);
        Assert.Equal(("127.96.0.11", 8080), (routes[1].ClusterIP, routes[1].Port));
        Assert.Empty(routes[1].Backends);
    }
}
