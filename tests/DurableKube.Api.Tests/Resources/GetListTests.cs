using DurableKube.Api.Tests.Support;
using k8s.Models;

namespace DurableKube.Api.Tests.Resources;

public class GetListTests
{
    private static async Task<ApiHost> WithPodsAsync()
    {
        var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" });
        await api.CreatePodAsync("db", change: p => p.Metadata.Labels = new Dictionary<string, string> { ["app"] = "db" });
        await api.CreatePodAsync("cache", "kube-system", p => p.Metadata.Labels = new Dictionary<string, string> { ["app"] = "cache", ["tier"] = "back" });
        await api.SetPodAsync("web", p =>
        {
            p.Spec.NodeName = "node-1";
            p.Status.Phase = "Running";
        });
        return api;
    }

    private static async Task<string[]> NamesAsync(ApiHost api, string url)
    {
        var list = (await api.GetAsync(url)).AssertOk().Json;
        return [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_a_404_status()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.GetAsync("/api/v1/namespaces/default/pods/nope")).AssertStatus(404, "NotFound");

        Assert.Equal("pods \"nope\" not found", response.Message);
        Assert.Equal("nope", response.Json["details"]!["name"]!.GetValue<string>());
        Assert.Equal("pods", response.Json["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_list_carries_its_kind_and_resource_version()
    {
        await using var api = await WithPodsAsync();

        var list = (await api.GetAsync("/api/v1/namespaces/default/pods?limit=500")).AssertOk().Json;

        Assert.Equal("PodList", list["kind"]!.GetValue<string>());
        Assert.Equal("v1", list["apiVersion"]!.GetValue<string>());
        Assert.Equal(await api.Store.GetResourceVersionAsync(), list["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(["db", "web"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task All_namespaces_lists_everything()
    {
        await using var api = await WithPodsAsync();

        Assert.Equal(["db", "web", "cache"], await NamesAsync(api, "/api/v1/pods"));
    }

    [Theory]
    [InlineData("labelSelector=app%3Dweb", new[] { "web" })]
    [InlineData("labelSelector=app%3D%3Dweb", new[] { "web" })]
    [InlineData("labelSelector=app!%3Dweb", new[] { "db", "cache" })]
    [InlineData("labelSelector=app+in+(web,cache)", new[] { "web", "cache" })]
    [InlineData("labelSelector=app+notin+(web,cache)", new[] { "db" })]
    [InlineData("labelSelector=tier", new[] { "web", "cache" })]
    [InlineData("labelSelector=!tier", new[] { "db" })]
    [InlineData("fieldSelector=metadata.name%3Ddb", new[] { "db" })]
    [InlineData("fieldSelector=metadata.namespace%3Dkube-system", new[] { "cache" })]
    [InlineData("fieldSelector=spec.nodeName%3Dnode-1", new[] { "web" })]
    [InlineData("fieldSelector=spec.nodeName%3D", new[] { "db", "cache" })]
    [InlineData("fieldSelector=status.phase!%3DRunning", new[] { "db", "cache" })]
    [InlineData("fieldSelector=spec.restartPolicy%3DAlways,spec.schedulerName%3Ddefault-scheduler&labelSelector=app%3Ddb", new[] { "db" })]
    public async Task Selectors_filter_lists(string query, string[] expected)
    {
        await using var api = await WithPodsAsync();

        Assert.Equal(expected, await NamesAsync(api, "/api/v1/pods?" + query));
    }

    [Theory]
    [InlineData("fieldSelector=spec.foo%3Dx", "field label not supported: spec.foo")]
    [InlineData("fieldSelector=nonsense", "invalid selector: 'nonsense'; can't understand 'nonsense'")]
    [InlineData("labelSelector=app+in+web", "unable to parse requirement: found 'web', expected: '('")]
    [InlineData("limit=abc", "invalid value for limit: strconv.ParseInt: parsing \"abc\": invalid syntax")]
    public async Task Bad_selectors_are_400(string query, string message)
    {
        await using var api = await WithPodsAsync();

        var response = (await api.GetAsync("/api/v1/pods?" + query)).AssertStatus(400, "BadRequest");

        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task Limit_and_continue_page_through_a_list()
    {
        await using var api = await WithPodsAsync();

        var first = (await api.GetAsync("/api/v1/pods?limit=2")).AssertOk().Json;
        var token = first["metadata"]!["continue"]!.GetValue<string>();
        var second = (await api.GetAsync("/api/v1/pods?limit=2&continue=" + Uri.EscapeDataString(token))).AssertOk().Json;

        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Equal(1, first["metadata"]!["remainingItemCount"]!.GetValue<long>());
        Assert.Single(second["items"]!.AsArray());
        Assert.Null(second["metadata"]!["continue"]);
        (await api.GetAsync("/api/v1/pods?limit=2&continue=garbage")).AssertStatus(400, "BadRequest");
    }

    [Fact]
    public async Task Cluster_scoped_lists_and_gets_work()
    {
        await using var api = await ApiHost.StartAsync();

        var names = await NamesAsync(api, "/api/v1/namespaces");
        var ns = (await api.GetAsync("/api/v1/namespaces/default")).AssertOk().Json;

        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], names);
        Assert.Equal("Namespace", ns["kind"]!.GetValue<string>());
        Assert.Equal(["default"], await NamesAsync(api, "/api/v1/namespaces?fieldSelector=metadata.name%3Ddefault"));
    }

    [Fact]
    public async Task Protobuf_preference_is_answered_with_json()
    {
        await using var api = await WithPodsAsync();

        var response = (await api.GetAsync("/api/v1/namespaces/default/pods/web", "application/vnd.kubernetes.protobuf,application/json")).AssertOk();

        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("web", response.Json["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Partial_object_metadata_is_served_when_asked()
    {
        await using var api = await WithPodsAsync();

        var list = (await api.GetAsync("/api/v1/namespaces/default/pods", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")).AssertOk().Json;

        Assert.Equal("PartialObjectMetadataList", list["kind"]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", list["items"]![0]!["kind"]!.GetValue<string>());
        Assert.Null(list["items"]![0]!["spec"]);
    }

    [Fact]
    public async Task A_continue_token_the_change_log_no_longer_reaches_is_410_expired()
    {
        await using var api = await WithPodsAsync();
        var first = (await api.GetAsync("/api/v1/pods?limit=1")).AssertOk().Json;
        var token = first["metadata"]!["continue"]!.GetValue<string>();
        await api.CreatePodAsync("later");
        api.Store.Compact(long.Parse(await api.Store.GetResourceVersionAsync(), System.Globalization.CultureInfo.InvariantCulture));

        var response = (await api.GetAsync("/api/v1/pods?limit=1&continue=" + Uri.EscapeDataString(token))).AssertStatus(410, "Expired");

        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resourceVersionMatch=NotOlderThan", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("resourceVersion=0&resourceVersionMatch=Exact", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData("resourceVersion=1&resourceVersionMatch=Newest", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData("sendInitialEvents=true", "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list")]
    [InlineData("watch=true&resourceVersionMatch=NotOlderThan", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    public async Task Resource_version_options_the_api_server_refuses_are_422_invalid(string query, string message)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.GetAsync("/api/v1/namespaces/default/pods?" + query)).AssertStatus(422, "Invalid");

        Assert.Equal(message, response.Message);
        Assert.Equal("ListOptions", response.Json["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resource_version_match_lists_at_or_after_the_version_asked()
    {
        await using var api = await WithPodsAsync();
        var rv = (await api.GetAsync("/api/v1/pods")).AssertOk().Json["metadata"]!["resourceVersion"]!.GetValue<string>();
        var old = (long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var future = (long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture) + 100).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var exact = (await api.GetAsync($"/api/v1/pods?resourceVersion={rv}&resourceVersionMatch=Exact")).AssertOk().Json;
        var notOlder = (await api.GetAsync($"/api/v1/pods?resourceVersion={old}&resourceVersionMatch=NotOlderThan")).AssertOk().Json;
        var exactOld = (await api.GetAsync($"/api/v1/pods?resourceVersion={old}&resourceVersionMatch=Exact")).AssertStatus(410, "Expired");
        var tooNew = (await api.GetAsync($"/api/v1/pods?resourceVersion={future}&resourceVersionMatch=NotOlderThan")).AssertStatus(504, "Timeout");

        Assert.Equal(rv, exact["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(3, exact["items"]!.AsArray().Count);
        Assert.Equal(rv, notOlder["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal($"too old resource version: {old} ({rv})", exactOld.Message);
        Assert.Equal($"Timeout: Too large resource version: {future}, current: {rv}", tooNew.Message);
        Assert.Equal("ResourceVersionTooLarge", tooNew.Json["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
    }
}
