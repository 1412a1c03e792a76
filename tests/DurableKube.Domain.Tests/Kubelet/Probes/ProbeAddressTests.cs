using DurableKube.Domain.Kubelet.Probes;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet.Probes;

public class ProbeAddressTests
{
    private static readonly V1Container Container = new()
    {
        Name = "app",
        Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }, new V1ContainerPort { Name = "admin", ContainerPort = 9000 }],
    };

    [Theory]
    [InlineData("8081", 8081, null)]
    [InlineData("http", 8080, null)]
    [InlineData("admin", 9000, null)]
    [InlineData("metrics", null, "strconv.Atoi: parsing \"metrics\": invalid syntax")]
    [InlineData("0", null, "invalid port number: 0")]
    [InlineData("70000", null, "invalid port number: 70000")]
    public void A_port_resolves_by_number_or_by_the_containers_port_name(string port, int? expected, string? error)
    {
        var resolved = ProbeAddress.ResolvePort(port, Container, out var why);

        Assert.Equal((expected, error), (resolved, why));
    }

    [Theory]
    [InlineData(null, null, "/healthz", "127.1.0.5", "http://127.1.0.5:8080/healthz")]
    [InlineData("HTTPS", null, "/", "127.1.0.5", "https://127.1.0.5:8080/")]
    [InlineData("HTTP", "example.test", "/a?b=c", "127.1.0.5", "http://example.test:8080/a?b=c")]
    [InlineData("HTTP", null, "ready", "127.0.0.1", "http://127.0.0.1:8080/ready")]
    [InlineData("HTTP", null, "/", "::1", "http://[::1]:8080/")]
    public void The_url_is_the_scheme_lowercased_the_host_or_pod_ip_the_port_and_the_path(string? scheme, string? host, string path, string podIP, string url)
    {
        var action = new V1HTTPGetAction { Scheme = scheme, Host = host, Path = path, Port = 8080 };

        Assert.Equal(url, ProbeAddress.HttpUrl(action, 8080, podIP).ToString());
    }

    [Theory]
    [InlineData("sh -c sleep 5", "\"sh -c sleep 5\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    public void Quote_is_gos_percent_q(string text, string quoted) => Assert.Equal(quoted, ProbeAddress.Quote(text));
}
