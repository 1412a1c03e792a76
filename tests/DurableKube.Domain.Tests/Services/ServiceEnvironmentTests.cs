using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Services;
using k8s.Models;

namespace DurableKube.Domain.Tests.Services;

public sealed class ServiceEnvironmentTests
{
    private static V1Service Service(string name, string? ip, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1ServiceSpec { Type = "ClusterIP", ClusterIP = ip, Ports = ports },
    };

    private static V1Pod Pod(bool? links = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "shop" },
        Spec = new V1PodSpec { EnableServiceLinks = links, Containers = [new V1Container { Name = "app", Command = ["true"] }] },
    };

    [Fact]
    public void A_Service_gives_the_kubelets_variables()
    {
        var web = Service("my-web", "127.96.0.10", new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }, new V1ServicePort { Name = "dns-udp", Port = 53, Protocol = "UDP" });

        var variables = ServiceEnvironment.For(Pod(), [web], null).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal(new Dictionary<string, string>
        {
            ["MY_WEB_SERVICE_HOST"] = "127.96.0.10",
            ["MY_WEB_SERVICE_PORT"] = "80",
            ["MY_WEB_SERVICE_PORT_HTTP"] = "80",
            ["MY_WEB_SERVICE_PORT_DNS_UDP"] = "53",
            ["MY_WEB_PORT"] = "tcp://127.96.0.10:80",
            ["MY_WEB_PORT_80_TCP"] = "tcp://127.96.0.10:80",
            ["MY_WEB_PORT_80_TCP_PROTO"] = "tcp",
            ["MY_WEB_PORT_80_TCP_PORT"] = "80",
            ["MY_WEB_PORT_80_TCP_ADDR"] = "127.96.0.10",
            ["MY_WEB_PORT_53_UDP"] = "udp://127.96.0.10:53",
            ["MY_WEB_PORT_53_UDP_PROTO"] = "udp",
            ["MY_WEB_PORT_53_UDP_PORT"] = "53",
            ["MY_WEB_PORT_53_UDP_ADDR"] = "127.96.0.10",
        }, variables);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void EnableServiceLinks_false_leaves_only_the_kubernetes_Service(bool? links, bool namespaceServices)
    {
        var kubernetes = Service("kubernetes", "127.96.0.1", new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP" });
        var web = Service("web", "127.96.0.10", new V1ServicePort { Port = 80, Protocol = "TCP" });

        var names = ServiceEnvironment.For(Pod(links), [web], kubernetes).Select(p => p.Key).ToList();

        Assert.Contains("KUBERNETES_SERVICE_HOST", names);
        Assert.Equal(namespaceServices, names.Contains("WEB_SERVICE_HOST"));
    }

    [Fact]
    public void Headless_and_ExternalName_Services_give_nothing()
    {
        var headless = Service("headless", "None", new V1ServicePort { Port = 80 });
        var external = Service("alias", null);
        external.Spec.Type = "ExternalName";

        Assert.Empty(ServiceEnvironment.For(Pod(), [headless, external], null));
    }

    [Fact]
    public void The_containers_own_env_wins_and_may_refer_to_the_Services_variables()
    {
        var container = new V1Container
        {
            Name = "app",
            Command = ["true"],
            Env = [new V1EnvVar { Name = "WEB_SERVICE_PORT", Value = "9999" }, new V1EnvVar { Name = "URL", Value = "http://$(WEB_SERVICE_HOST)/" }],
        };
        var pod = Pod();
        pod.Spec.Containers = [container];
        var services = ServiceEnvironment.For(pod, [Service("web", "127.96.0.10", new V1ServicePort { Port = 80, Protocol = "TCP" })], null);

        Assert.True(ContainerResolver.TryResolve(pod, container, "node-1", null, out var resolved, out _, serviceEnvironment: services));

        var environment = resolved!.Environment.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("9999", environment["WEB_SERVICE_PORT"]);
        Assert.Equal("http://127.96.0.10/", environment["URL"]);
        Assert.Equal("127.96.0.10", environment["WEB_SERVICE_HOST"]);
        Assert.Equal(["WEB_SERVICE_PORT", "URL"], resolved.Environment.Take(2).Select(p => p.Key));
    }
}
