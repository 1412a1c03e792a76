using System.Net;
using System.Net.Sockets;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using k8s.Models;

namespace DurableKube.Api.Tests.Proxy;

/// <summary>The services/proxy and pods/proxy subresources: every method through to the backend and back.</summary>
public sealed class ProxyTests
{
    private static async Task ServiceAsync(ApiHost api, string name, params (string Ip, int Port)[] endpoints)
    {
        await api.Store.CreateAsync(ResourceTypes.Services, new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = 8080 }] },
        });
        await api.Store.CreateAsync(ResourceTypes.Endpoints, new V1Endpoints
        {
            ApiVersion = "v1",
            Kind = "Endpoints",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() },
            Subsets = endpoints.Length == 0 ? [] :
            [
                new V1EndpointSubset
                {
                    Addresses = [.. endpoints.Select(e => new V1EndpointAddress { Ip = e.Ip })],
                    NotReadyAddresses = [new V1EndpointAddress { Ip = "127.0.0.2" }],
                    Ports = [new Corev1EndpointPort { Name = "http", Port = endpoints[0].Port }],
                },
            ],
        });
    }

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("POST", "a body")]
    [InlineData("PUT", "another body")]
    [InlineData("PATCH", "{\"a\":1}")]
    [InlineData("DELETE", null)]
    public async Task Every_method_goes_through_with_path_query_headers_and_body(string method, string? body)
    {
        await using var api = await ApiHost.StartAsync();
        await using var backend = new EchoBackend("one");
        await ServiceAsync(api, "web", ("127.0.0.1", backend.Port));
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/v1/namespaces/default/services/web:http/proxy/some/path?q=1&r=two");
        request.Headers.Add("X-Custom", "kept");
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        using var response = await api.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        Assert.Equal("one", Assert.Single(response.Headers.GetValues("X-Backend")));
        Assert.StartsWith($"one\n{method} /some/path?q=1&r=two HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("X-Custom: kept", text, StringComparison.Ordinal);
        Assert.Contains($"Host: 127.0.0.1:{backend.Port}", text, StringComparison.Ordinal);
        if (body is not null)
        {
            Assert.EndsWith(body, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Requests_go_round_robin_to_the_ready_endpoints_of_the_port_by_number_or_name()
    {
        await using var api = await ApiHost.StartAsync();
        await using var a = new EchoBackend("a");
        await using var b = new EchoBackend("b");
        await ServiceAsync(api, "web", ("127.0.0.1", a.Port));
        var endpoints = (V1Endpoints)(await api.Store.GetAsync(new Ports.Store.ObjectKey(ResourceTypes.Endpoints, "default", "web")))!;
        endpoints.Subsets.Add(new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "127.0.0.1" }], Ports = [new Corev1EndpointPort { Name = "http", Port = b.Port }] });
        await api.Store.UpdateAsync(ResourceTypes.Endpoints, endpoints);

        var answers = new List<string>();
        foreach (var target in new[] { "web:80", "web:http", "web:80", "web:http" })
        {
            var response = await api.GetAsync($"/api/v1/namespaces/default/services/{target}/proxy/");
            answers.Add(response.Body.Split('\n')[0]);
        }

        Assert.Equal(2, answers.Count(x => x == "a"));
        Assert.Equal(2, answers.Count(x => x == "b"));
    }

    [Fact]
    public async Task A_service_without_ready_endpoints_answers_503_with_Kubernetes_message()
    {
        await using var api = await ApiHost.StartAsync();
        await ServiceAsync(api, "web");

        var response = await api.GetAsync("/api/v1/namespaces/default/services/web:80/proxy/");

        response.AssertStatus(503, "ServiceUnavailable");
        Assert.Equal("no endpoints available for service \"web\"", response.Message);
    }

    [Fact]
    public async Task A_backend_that_refuses_answers_503_naming_the_address()
    {
        await using var api = await ApiHost.StartAsync();
        var port = ClosedPort();
        await ServiceAsync(api, "web", ("127.0.0.1", port));

        var response = await api.GetAsync("/api/v1/namespaces/default/services/web:80/proxy/");

        response.AssertStatus(503, "ServiceUnavailable");
        Assert.StartsWith($"error trying to reach service: dial tcp 127.0.0.1:{port}: ", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/services/https:web:80/proxy/", 400, "BadRequest", "the https scheme is not served: DurableKube's proxy speaks plain HTTP to Services and pods (use http: or no scheme)")]
    [InlineData("/api/v1/namespaces/default/services/nope:80/proxy/", 404, "NotFound", "services \"nope\" not found")]
    [InlineData("/api/v1/namespaces/default/services/web:81/proxy/", 503, "ServiceUnavailable", "no service port 81 found for service \"web\"")]
    [InlineData("/api/v1/namespaces/default/pods/nope:80/proxy/", 404, "NotFound", "pods \"nope\" not found")]
    public async Task Bad_targets_answer_a_Status(string path, int code, string reason, string message)
    {
        await using var api = await ApiHost.StartAsync();
        await ServiceAsync(api, "web", ("127.0.0.1", ClosedPort()));

        var response = await api.GetAsync(path);

        response.AssertStatus(code, reason);
        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task The_pod_proxy_reaches_the_pods_address_by_port_number_or_container_port_name()
    {
        await using var api = await ApiHost.StartAsync();
        await using var backend = new EchoBackend("pod");
        await api.CreatePodAsync("web", change: pod => pod.Spec.Containers[0].Ports = [new V1ContainerPort { Name = "http", ContainerPort = backend.Port }]);
        var before = (await api.GetAsync("/api/v1/namespaces/default/pods/web:http/proxy/")).AssertStatus(503, "ServiceUnavailable");
        Assert.Equal("pod \"web\" has no IP address yet", before.Message);
        await api.SetPodAsync("web", pod => pod.Status = new V1PodStatus { PodIP = "127.0.0.1" });

        var byNumber = await api.GetAsync($"/api/v1/namespaces/default/pods/web:{backend.Port}/proxy/healthz?verbose");
        var byName = await api.GetAsync("/api/v1/namespaces/default/pods/web:http/proxy/");

        Assert.StartsWith("pod\nGET /healthz?verbose HTTP/1.1", byNumber.AssertOk(207).Body, StringComparison.Ordinal);
        Assert.StartsWith("pod\nGET / HTTP/1.1", byName.AssertOk(207).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_lists_the_proxy_subresources()
    {
        await using var api = await ApiHost.StartAsync();

        var names = (await api.GetAsync("/api/v1")).AssertOk().Json["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

        Assert.Contains("services/proxy", names);
        Assert.Contains("pods/proxy", names);
    }
}
