using System.Text.Json.Nodes;
using DurableKube.Testing;

namespace DurableKube.Functions.Tests;

/// <summary>The root host.json, which the Functions project links and publishes.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonObject HostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")))!.AsObject();

    [Fact]
    public void Routes_have_no_prefix_so_kubernetes_paths_reach_the_catch_all()
    {
        Assert.Equal("", (string?)HostJson["extensions"]!["http"]!["routePrefix"]);
    }

    [Fact]
    public void The_task_hub_is_durablekube_as_in_the_local_host()
    {
        Assert.Equal("durablekube", (string?)HostJson["extensions"]!["durableTask"]!["hubName"]);
    }

    [Fact]
    public void Queue_messages_are_base64_as_the_store_writes_them()
    {
        Assert.Equal("base64", (string?)HostJson["extensions"]!["queues"]!["messageEncoding"]);
    }

    [Fact]
    public void The_host_is_version_2()
    {
        Assert.Equal("2.0", (string?)HostJson["version"]);
    }
}
