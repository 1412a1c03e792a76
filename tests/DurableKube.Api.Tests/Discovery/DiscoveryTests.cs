using DurableKube.Api.Tests.Support;

namespace DurableKube.Api.Tests.Discovery;

public class DiscoveryTests
{
    private const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string AggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    [Fact]
    public async Task Version_reports_kubernetes_1_33()
    {
        await using var api = await ApiHost.StartAsync();

        var version = (await api.GetAsync("/version")).AssertOk().Json;

        Assert.Equal("1", version["major"]!.GetValue<string>());
        Assert.Equal("33", version["minor"]!.GetValue<string>());
        Assert.Equal("v1.33.0", version["gitVersion"]!.GetValue<string>());
        Assert.NotNull(version["platform"]);
        Assert.NotNull(version["goVersion"]);
    }

    [Theory]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    [InlineData("/healthz")]
    [InlineData("/readyz/ping")]
    public async Task Health_endpoints_answer_ok(string path)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.GetAsync(path)).AssertOk();

        Assert.Equal("ok", response.Body);
    }

    [Fact]
    public async Task Readyz_verbose_lists_its_checks()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.GetAsync("/readyz?verbose")).AssertOk();

        Assert.Equal("[+]ping ok\n[+]etcd ok\nreadyz check passed", response.Body);
    }

    [Theory]
    [InlineData(AggregatedV2, "apidiscovery.k8s.io/v2")]
    [InlineData(AggregatedV2Beta1, "apidiscovery.k8s.io/v2beta1")]
    public async Task Aggregated_core_discovery_echoes_the_media_type_asked_for(string media, string apiVersion)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.GetAsync("/api", media + ",application/json")).AssertOk();
        var raw = await api.InvokeAsync("/api", media + ",application/json");

        Assert.Equal(media, raw.ContentType);
        Assert.Equal(media, response.ContentType!.Replace(" ", string.Empty, StringComparison.Ordinal));
        var document = response.Json;
        Assert.Equal("APIGroupDiscoveryList", document["kind"]!.GetValue<string>());
        Assert.Equal(apiVersion, document["apiVersion"]!.GetValue<string>());
        var version = document["items"]![0]!["versions"]![0]!;
        Assert.Equal("v1", version["version"]!.GetValue<string>());
        var pods = version["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "pods")!;
        Assert.Equal("Namespaced", pods["scope"]!.GetValue<string>());
        Assert.Equal("pod", pods["singularResource"]!.GetValue<string>());
        Assert.Equal("Pod", pods["responseKind"]!["kind"]!.GetValue<string>());
        Assert.Equal(["po"], pods["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["all"], pods["categories"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], pods["verbs"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "status"], pods["subresources"]!.AsArray().Select(s => s!["subresource"]!.GetValue<string>()));
        var namespaces = version["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "namespaces")!;
        Assert.Equal("Cluster", namespaces["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task Aggregated_group_discovery_answers_even_with_no_groups()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.GetAsync("/apis", AggregatedV2 + ",application/json")).AssertOk();
        var raw = await api.InvokeAsync("/apis", AggregatedV2 + ",application/json");

        Assert.Equal((200, AggregatedV2), (raw.Code, raw.ContentType));
        Assert.NotNull(response.Json["items"]);
    }

    [Fact]
    public async Task Legacy_discovery_documents_describe_the_core_group()
    {
        await using var api = await ApiHost.StartAsync();

        var versions = (await api.GetAsync("/api")).AssertOk().Json;
        var groups = (await api.GetAsync("/apis")).AssertOk().Json;
        var resources = (await api.GetAsync("/api/v1")).AssertOk().Json;

        Assert.Equal("APIVersions", versions["kind"]!.GetValue<string>());
        Assert.Equal(["v1"], versions["versions"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("APIGroupList", groups["kind"]!.GetValue<string>());
        Assert.Equal("APIResourceList", resources["kind"]!.GetValue<string>());
        Assert.Equal("v1", resources["groupVersion"]!.GetValue<string>());
        var names = resources["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(
            ["configmaps", "endpoints", "events", "namespaces", "namespaces/finalize", "namespaces/status", "nodes", "nodes/status", "pods", "pods/attach", "pods/binding", "pods/ephemeralcontainers",
             "pods/eviction", "pods/exec", "pods/log", "pods/portforward", "pods/proxy", "pods/status", "secrets", "services", "services/proxy", "services/status"],
            names);
        var pods = resources["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "pods")!;
        Assert.True(pods["namespaced"]!.GetValue<bool>());
        Assert.Equal("Pod", pods["kind"]!.GetValue<string>());
        Assert.Equal("pod", pods["singularName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/apis/nothing.example.com")]
    [InlineData("/apis/apps/v1beta1")]
    [InlineData("/api/v2")]
    [InlineData("/nothing/here")]
    [InlineData("/api/v1/foos")]
    [InlineData("/api/v1/namespaces/default/foos")]
    [InlineData("/api/v1/pods/web")]
    [InlineData("/api/v1/namespaces/default/pods/web/exec/extra")]
    public async Task Unknown_paths_are_404_statuses(string path)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.GetAsync(path)).AssertStatus(404, "NotFound");

        Assert.Equal("the server could not find the requested resource", response.Message);
    }

    [Fact]
    public async Task Openapi_v3_index_points_at_each_group_version()
    {
        await using var api = await ApiHost.StartAsync();

        var index = (await api.GetAsync("/openapi/v3")).AssertOk().Json;
        var url = index["paths"]!["api/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var document = (await api.GetAsync(url)).AssertOk().Json;

        Assert.StartsWith("/openapi/v3/api/v1?hash=", url, StringComparison.Ordinal);
        var patch = document["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}"]!["patch"]!;
        Assert.Equal("Pod", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Equal(string.Empty, patch["x-kubernetes-group-version-kind"]!["group"]!.GetValue<string>());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
        Assert.NotNull(document["paths"]!["/api/v1/namespaces/{name}"]!["patch"]);
    }

    [Fact]
    public async Task Discovery_paths_refuse_writes()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.SendAsync(HttpMethod.Post, "/version", "{}")).AssertStatus(405, "MethodNotAllowed");
    }

    [Fact]
    public async Task Openapi_v2_is_served_as_protobuf_for_older_kubectl()
    {
        await using var api = await ApiHost.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        request.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        using var response = await api.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var json = (await api.GetAsync("/openapi/v2")).AssertOk().Json;

        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0x0a, 0x03, (byte)'2', (byte)'.', (byte)'0' }, bytes[..5]);
        Assert.Contains("/api/v1/namespaces/{namespace}/pods/{name}", text, StringComparison.Ordinal);
        Assert.Contains("fieldValidation", text, StringComparison.Ordinal);
        Assert.Contains("x-kubernetes-group-version-kind", text, StringComparison.Ordinal);
        Assert.Contains("kind: Pod", text, StringComparison.Ordinal);
        Assert.Equal("Pod", json["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}"]!["patch"]!["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
    }
}
