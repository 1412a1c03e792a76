using DurableKube.Ports.Runtime;
using DurableKube.Testing.Arm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Runtime.Aci.Tests;

public sealed class AciNodeTests
{
    [Fact]
    public void A_nodes_section_gives_its_arm_place_capacity_and_intervals()
    {
        var section = Section(new()
        {
            ["Nodes:aci-weu:Kind"] = "aci",
            ["Nodes:aci-weu:SubscriptionId"] = "sub",
            ["Nodes:aci-weu:ResourceGroup"] = "rg-nodes",
            ["Nodes:aci-weu:Region"] = "westeurope",
            ["Nodes:aci-weu:Cpu"] = "40",
            ["Nodes:aci-weu:MemoryGi"] = "160",
            ["Nodes:aci-weu:Pods"] = "50",
            ["Nodes:aci-weu:ObserveInterval"] = "00:02:00",
        });

        var options = AciNode.ReadOptions(section);

        Assert.Equal(("aci-weu", "westeurope", 40.0, 160.0, 50), (options.NodeName, options.Region, options.Cpu, options.MemoryGi, options.Pods));
        Assert.Equal(("sub", "rg-nodes", "2025-09-01"), (options.Arm.SubscriptionId, options.Arm.ResourceGroup, options.Arm.ApiVersion));
        Assert.Equal(new Uri("https://management.azure.com"), options.Arm.Endpoint);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ObserveInterval);
    }

    [Fact]
    public void Missing_settings_and_a_plain_http_endpoint_are_refused_naming_each()
    {
        var section = Section(new()
        {
            ["Nodes:aci-weu:Kind"] = "aci",
            ["Nodes:aci-weu:Endpoint"] = "http://127.0.0.1:1234",
        });

        var error = Assert.Throws<InvalidOperationException>(() => AciNode.ReadOptions(section));

        Assert.StartsWith("Nodes:aci-weu: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Region", error.Message, StringComparison.Ordinal);
        Assert.Contains("SubscriptionId", error.Message, StringComparison.Ordinal);
        Assert.Contains("ResourceGroup", error.Message, StringComparison.Ordinal);
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runtime_made_from_configuration_runs_a_pod_on_the_fake()
    {
        await using var server = await FakeArmServer.StartAsync(new FakeArmOptions { ProvisioningStep = TimeSpan.FromMilliseconds(20) });
        var options = AciNode.ReadOptions(Section(new()
        {
            ["Nodes:aci-1:SubscriptionId"] = "sub",
            ["Nodes:aci-1:ResourceGroup"] = "rg",
            ["Nodes:aci-1:Region"] = "westeurope",
            ["Nodes:aci-1:Endpoint"] = server.Endpoint.ToString(),
            ["Nodes:aci-1:ReadFreshFor"] = "00:00:00",
        }));
        using var runtime = AciNode.CreateRuntime(options, new FixedTokenCredential(), TimeProvider.System, NullLoggerFactory.Instance, transport: server.CreateTransport());
        var app = new ContainerLaunch(new ContainerRunId("u1", "app", 0), "default", "web", "nginx:1.27", [], [], null);

        var status = await Eventually.ReturnsAsync(
            () => runtime.CreateSandboxAsync(new SandboxSpec("u1", "default", "web", "aci-1") { Containers = [app] }),
            s => s.State == SandboxState.Ready);

        Assert.Equal(SandboxState.Ready, status.State);
        Assert.True(runtime.ArmRequests.Writes >= 1);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Nodes").GetChildren().Single();
}
