using DurableKube.Api.Tests.Support;

namespace DurableKube.Api.Tests.Tables;

public class TableTests
{
    [Fact]
    public async Task Kubectl_get_pods_gets_a_table_with_partial_metadata()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        api.Time.Advance(TimeSpan.FromMinutes(5));

        var response = (await api.GetAsync("/api/v1/namespaces/default/pods?limit=500", ApiHost.TableAccept)).AssertOk();
        var table = response.Json;

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        Assert.Equal("application/json;as=Table;v=v1;g=meta.k8s.io", response.ContentType!.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.NotNull(table["metadata"]!["resourceVersion"]);
        Assert.Equal(
            ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"],
            table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(
            [0, 0, 0, 0, 0, 1, 1, 1, 1],
            table["columnDefinitions"]!.AsArray().Select(c => c!["priority"]!.GetValue<int>()));
        var row = table["rows"]![0]!;
        Assert.Equal(["web", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"], row["cells"]!.AsArray().Select(c => c!.ToString()));
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("default", row["object"]!["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("web", row["object"]!["metadata"]!["labels"]!["app"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Object", "Pod")]
    [InlineData("None", null)]
    [InlineData("Metadata", "PartialObjectMetadata")]
    public async Task IncludeObject_chooses_what_rows_carry(string include, string? kind)
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var table = (await api.GetAsync("/api/v1/pods?includeObject=" + include, ApiHost.TableAccept)).AssertOk().Json;

        Assert.Equal(kind, table["rows"]![0]!["object"]?["kind"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_v1beta1_table_is_served_when_only_that_is_asked()
    {
        await using var api = await ApiHost.StartAsync();

        var table = (await api.GetAsync("/api/v1/namespaces", "application/json;as=Table;v=v1beta1;g=meta.k8s.io")).AssertOk().Json;

        Assert.Equal("meta.k8s.io/v1beta1", table["apiVersion"]!.GetValue<string>());
        Assert.Equal(["Name", "Status", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["default", "Active", "0s"], table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()));
    }

    [Fact]
    public async Task A_single_object_get_is_a_one_row_table()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        await api.SetPodAsync("web", p =>
        {
            p.Status.Phase = "Succeeded";
            p.Spec.NodeName = "node-1";
        });

        var table = (await api.GetAsync("/api/v1/namespaces/default/pods/web", ApiHost.TableAccept)).AssertOk().Json;

        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal("Completed", row["conditions"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("node-1", row["cells"]![6]!.GetValue<string>());
    }

    [Fact]
    public async Task Nodes_print_with_their_columns()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"}}""")).AssertOk(201);

        var table = (await api.GetAsync("/api/v1/nodes", ApiHost.TableAccept)).AssertOk().Json;

        Assert.Equal("Name", table["columnDefinitions"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("Status", table["columnDefinitions"]![1]!["name"]!.GetValue<string>());
        Assert.Equal("node-1", table["rows"]![0]!["cells"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_include_object_is_400()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.GetAsync("/api/v1/pods?includeObject=All", ApiHost.TableAccept)).AssertStatus(400, "BadRequest");
    }
}
