using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using k8s.Models;

namespace DurableKube.Api.Tests.Metrics;

public class MetricsApiTests
{
    private const string Base = "/apis/metrics.k8s.io/v1beta1";
    private static readonly DateTimeOffset Sampled = new(2025, 6, 1, 11, 59, 58, TimeSpan.Zero);

    private static async Task<ApiHost> WithPodsAsync()
    {
        var api = await ApiHost.StartAsync();
        await api.Store.CreateAsync(ResourceTypes.Nodes, new V1Node
        {
            ApiVersion = "v1", Kind = "Node",
            Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["zone"] = "a" } },
        });
        await api.Store.CreateAsync(ResourceTypes.Nodes, new V1Node { ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = "node-2" } });
        var usages = new List<PodUsage>();
        foreach (var (name, app) in new[] { ("web", "web"), ("db", "db"), ("fresh", "web") })
        {
            var pod = await api.CreatePodAsync(name, change: p =>
            {
                p.Metadata.Labels = new Dictionary<string, string> { ["app"] = app };
                p.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox" });
            });
            await api.SetPodAsync(name, p => p.Spec.NodeName = "node-1");
            if (name != "fresh")
            {
                // The runtime lists containers in its own order; the API answers in the pod spec's.
                usages.Add(new PodUsage(pod.Metadata.Uid, [
                    new ContainerUsage("sidecar", new ResourceUsage(Sampled, TimeSpan.FromSeconds(10.5), 2_000_000, 1024 * 1024)),
                    new ContainerUsage("app", new ResourceUsage(Sampled, TimeSpan.FromSeconds(10.5), 123_456_789, 3456 * 1024)),
                ]));
            }
        }

        api.Runtime.Usage = new NodeUsage(new ResourceUsage(Sampled, TimeSpan.FromSeconds(1.25), 1_500_000_000, 2L * 1024 * 1024 * 1024), usages);
        return api;
    }

    [Fact]
    public async Task Pod_metrics_list_as_the_metrics_server_writes_them()
    {
        await using var api = await WithPodsAsync();

        var list = (await api.GetAsync(Base + "/namespaces/default/pods")).AssertOk().Json;

        Assert.Equal("PodMetricsList", list["kind"]!.GetValue<string>());
        Assert.Equal("metrics.k8s.io/v1beta1", list["apiVersion"]!.GetValue<string>());
        var items = list["items"]!.AsArray();
        Assert.Equal(["db", "web"], items.Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        var web = items[1]!;
        Assert.Equal("PodMetrics", web["kind"]!.GetValue<string>());
        Assert.Equal("default", web["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("web", web["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal("2025-06-01T11:59:58Z", web["timestamp"]!.GetValue<string>());
        Assert.Equal("10.5s", web["window"]!.GetValue<string>());
        Assert.Equal(
            """[{"name":"app","usage":{"cpu":"123456789n","memory":"3456Ki"}},{"name":"sidecar","usage":{"cpu":"2m","memory":"1Mi"}}]""",
            web["containers"]!.ToJsonString());
    }

    [Theory]
    [InlineData("?labelSelector=app%3Dweb", new[] { "web" })]
    [InlineData("?labelSelector=app%21%3Dweb", new[] { "db" })]
    [InlineData("?fieldSelector=metadata.name%3Ddb", new[] { "db" })]
    [InlineData("?fieldSelector=metadata.namespace%3Dother", new string[0])]
    public async Task Pod_metrics_are_selected_by_label_and_field(string query, string[] expected)
    {
        await using var api = await WithPodsAsync();

        var all = (await api.GetAsync(Base + "/pods" + query)).AssertOk().Json;

        Assert.Equal(expected, all["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_pod_without_figures_yet_is_not_found()
    {
        await using var api = await WithPodsAsync();

        var web = (await api.GetAsync(Base + "/namespaces/default/pods/web")).AssertOk().Json;
        var fresh = (await api.GetAsync(Base + "/namespaces/default/pods/fresh")).AssertStatus(404, "NotFound");
        var missing = (await api.GetAsync(Base + "/namespaces/default/pods/nope")).AssertStatus(404, "NotFound");

        Assert.Equal("web", web["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("podmetrics.metrics.k8s.io \"fresh\" not found", fresh.Message);
        Assert.Equal("podmetrics.metrics.k8s.io \"nope\" not found", missing.Message);
    }

    [Fact]
    public async Task Node_metrics_come_from_the_nodes_runtime_and_nodes_without_figures_are_absent()
    {
        await using var api = await WithPodsAsync();

        var list = (await api.GetAsync(Base + "/nodes")).AssertOk().Json;
        var one = (await api.GetAsync(Base + "/nodes/node-1")).AssertOk().Json;
        var none = (await api.GetAsync(Base + "/nodes/node-2")).AssertStatus(404, "NotFound");
        var selected = (await api.GetAsync(Base + "/nodes?labelSelector=zone%3Db")).AssertOk().Json;

        Assert.Equal("NodeMetricsList", list["kind"]!.GetValue<string>());
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal("node-1", item["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"cpu":"1500m","memory":"2Gi"}""", item["usage"]!.ToJsonString());
        Assert.Equal("1.25s", item["window"]!.GetValue<string>());
        Assert.Equal("NodeMetrics", one["kind"]!.GetValue<string>());
        Assert.Equal("nodemetrics.metrics.k8s.io \"node-2\" not found", none.Message);
        Assert.Empty(selected["items"]!.AsArray());
    }

    [Fact]
    public async Task A_runtime_that_fails_leaves_its_node_and_pods_out()
    {
        await using var api = await WithPodsAsync();
        api.Runtime.UsageFailure = new ContainerRuntimeException("engine down", transient: true);

        var pods = (await api.GetAsync(Base + "/pods")).AssertOk().Json;
        var nodes = (await api.GetAsync(Base + "/nodes")).AssertOk().Json;

        Assert.Empty(pods["items"]!.AsArray());
        Assert.Empty(nodes["items"]!.AsArray());
    }

    [Theory]
    [InlineData("POST", Base + "/namespaces/default/pods")]
    [InlineData("DELETE", Base + "/namespaces/default/pods/web")]
    [InlineData("PUT", Base + "/nodes/node-1")]
    [InlineData("GET", Base + "/pods?watch=true")]
    public async Task Only_get_and_list_are_served(string method, string url)
    {
        await using var api = await WithPodsAsync();

        var response = await api.SendAsync(new HttpMethod(method), url, method is "POST" or "PUT" ? "{}" : null);

        response.AssertStatus(405, "MethodNotAllowed");
    }

    [Theory]
    [InlineData(Base + "/deployments")]
    [InlineData(Base + "/namespaces/default/nodes")]
    [InlineData("/apis/metrics.k8s.io/v1/pods")]
    [InlineData(Base + "/pods/web/log")]
    public async Task Other_paths_of_the_group_are_not_found(string url)
    {
        await using var api = await WithPodsAsync();

        (await api.GetAsync(url)).AssertStatus(404, "NotFound");
    }

    [Fact]
    public async Task The_group_is_in_legacy_and_aggregated_discovery()
    {
        await using var api = await ApiHost.StartAsync();

        var groups = (await api.GetAsync("/apis")).AssertOk().Json;
        var group = (await api.GetAsync("/apis/metrics.k8s.io")).AssertOk().Json;
        var resources = (await api.GetAsync(Base)).AssertOk().Json;
        var aggregated = (await api.GetAsync("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")).AssertOk().Json;

        Assert.Contains(groups["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "metrics.k8s.io");
        Assert.Equal("metrics.k8s.io/v1beta1", group["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        Assert.Equal(
            [("nodes", "NodeMetrics", false), ("pods", "PodMetrics", true)],
            resources["resources"]!.AsArray().Select(r => (r!["name"]!.GetValue<string>(), r["kind"]!.GetValue<string>(), r["namespaced"]!.GetValue<bool>())));
        Assert.All(resources["resources"]!.AsArray(), r => Assert.Equal("""["get","list"]""", r!["verbs"]!.ToJsonString()));
        var metrics = Assert.Single(aggregated["items"]!.AsArray(), i => i!["metadata"]!["name"]?.GetValue<string>() == "metrics.k8s.io")!;
        var version = Assert.Single(metrics["versions"]!.AsArray())!;
        Assert.Equal("v1beta1", version["version"]!.GetValue<string>());
        Assert.Equal(["nodes", "pods"], version["resources"]!.AsArray().Select(r => r!["resource"]!.GetValue<string>()));
    }
}
