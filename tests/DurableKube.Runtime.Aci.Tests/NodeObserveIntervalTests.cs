using DurableKube.Ports.Queue;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Testing.Arm;
using DurableKube.Testing.Runtime;
using DurableKube.Testing.Store;
using DurableKube.Workflows;
using DurableKube.Workflows.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableKube.Runtime.Aci.Tests;

/// <summary>
/// The node's observe interval reaches the node agent's loop: composed from configuration as a host composes it, an ACI
/// node's <see cref="ObserveNodeActivity"/> asks to be run again after <c>Nodes__&lt;name&gt;__ObserveInterval</c>
/// (30 s when not set), and a node with no interval of its own after <c>Node__ExitResyncInterval</c>.
/// </summary>
public sealed class NodeObserveIntervalTests
{
    [Fact]
    public async Task An_aci_node_is_observed_again_after_its_observe_interval_and_another_node_after_the_exit_resync_interval()
    {
        await using var server = await FakeArmServer.StartAsync();
        var pem = Path.Combine(Path.GetTempPath(), $"fake-arm-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, server.CertificatePem);
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Node:Name"] = "local-1",
                ["Node:ExitResyncInterval"] = "00:00:07",
                ["Nodes:aci-slow:ObserveInterval"] = "00:02:30",
            }).Build();
            foreach (var aci in (string[])["aci-slow", "aci-default"])
            {
                configuration[$"Nodes:{aci}:Kind"] = "aci";
                configuration[$"Nodes:{aci}:SubscriptionId"] = "sub";
                configuration[$"Nodes:{aci}:ResourceGroup"] = "rg";
                configuration[$"Nodes:{aci}:Region"] = "westeurope";
                configuration[$"Nodes:{aci}:Endpoint"] = server.Endpoint.ToString();
                configuration[$"Nodes:{aci}:AccessToken"] = FixedTokenCredential.Token;
                configuration[$"Nodes:{aci}:TrustedCertificatePath"] = pem;
            }

            var services = new ServiceCollection().AddLogging().AddSingleton<IObjectStore>(new InMemoryObjectStore()).AddSingleton<IWorkQueue>(new InMemoryWorkQueue());
            services.AddDurableKubeWorkflows(configuration);
            services.AddNodeRuntime(sp => new NodeRuntime(sp.GetRequiredService<IOptions<NodeOptions>>().Value.Name, new FakeContainerRuntime()));
            services.AddAciNode(configuration.GetSection("Nodes:aci-slow"));
            services.AddAciNode(configuration.GetSection("Nodes:aci-default"));
            await using var provider = services.BuildServiceProvider();
            var activity = provider.GetRequiredService<ObserveNodeActivity>();
            var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict).Object;

            var slow = await activity.RunAsync("aci-slow", workflows);
            var byDefault = await activity.RunAsync("aci-default", workflows);
            var local = await activity.RunAsync("local-1", workflows);
            var unknown = await activity.RunAsync("gone-1", workflows);

            Assert.Equal(TimeSpan.FromMinutes(2.5), slow.NextIn);
            Assert.Equal(new AciRuntimeOptions().ObserveInterval, byDefault.NextIn);
            Assert.Equal(TimeSpan.FromSeconds(30), byDefault.NextIn);
            Assert.Equal(TimeSpan.FromSeconds(7), local.NextIn);
            Assert.Equal(TimeSpan.FromSeconds(7), unknown.NextIn);

            // The ACI nodes were observed over ARM: one list of their resource group each.
            Assert.Equal(2, server.Requests.Count(r => r.IsRead && r.Path.EndsWith("/containerGroups", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(pem);
        }
    }
}
