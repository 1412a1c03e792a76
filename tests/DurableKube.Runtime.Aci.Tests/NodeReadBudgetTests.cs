using DurableKube.Domain.Kinds;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using DurableKube.Testing.Arm;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Nodes;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace DurableKube.Runtime.Aci.Tests;

/// <summary>
/// The budget, as the node agent spends it: with the default settings, settled long-running pods cost the node
/// at most 0.1 ARM reads per pod-minute in all (lists included), observed through <see cref="ObserveNodeActivity"/> at
/// the interval it asks for; and an exit is still seen within <c>MaxReadInterval</c> + <c>ObserveInterval</c>.
/// </summary>
public sealed class NodeReadBudgetTests
{
    private static readonly AciRuntimeOptions Defaults = new();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(60)]
    public async Task Settled_pods_cost_at_most_a_tenth_of_a_read_per_pod_minute_lists_included_with_the_default_settings(int pods)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var aci = await AciHarness.StartAsync(new FakeArmOptions { Time = clock, ProvisioningStep = TimeSpan.FromSeconds(5) }, clock, o =>
        {
            o.ObserveInterval = Defaults.ObserveInterval;
            o.MinReadInterval = Defaults.MinReadInterval;
            o.MaxReadInterval = Defaults.MaxReadInterval;
        });
        var store = new InMemoryObjectStore();
        for (var i = 0; i < pods; i++)
        {
            // The last pod's container exits after seven hours, once the measured window is over.
            var uid = $"p{i}";
            var script = i == pods - 1 ? ContainerScript.Exits(TimeSpan.FromHours(7), 3) : ContainerScript.Forever;
            await store.CreateAsync(ResourceTypes.Pods, new V1Pod
            {
                ApiVersion = "v1", Kind = "Pod",
                Metadata = new V1ObjectMeta { Name = $"pod-{uid}", NamespaceProperty = "default", Uid = uid },
                Spec = new V1PodSpec { NodeName = AciHarness.Node, Containers = [new V1Container { Name = "app", Image = "x" }] },
                Status = new V1PodStatus { Phase = "Running" },
            });
            await aci.Runtime.CreateSandboxAsync(AciHarness.Spec(uid, aci.Launch(uid, "app", 0, script)));
        }

        DateTimeOffset? exitRaisedAt = null;
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);
        workflows.Setup(w => w.GetStateAsync(PodIdentity.WorkflowInstanceIdFor($"p{pods - 1}"), It.IsAny<CancellationToken>())).ReturnsAsync(WorkflowInstanceState.Running);
        workflows.Setup(w => w.RaiseEventAsync(PodIdentity.WorkflowInstanceIdFor($"p{pods - 1}"), PodSignal.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback(() => exitRaisedAt ??= clock.GetUtcNow())
            .Returns(Task.CompletedTask);
        var activity = Observer(aci, store);
        var start = clock.GetUtcNow();

        // Two hours settle the back-off; the next four are measured. Each turn waits what the observation asks.
        async Task RunUntilAsync(DateTimeOffset end)
        {
            while (clock.GetUtcNow() < end)
            {
                var observation = await activity.RunAsync(AciHarness.Node, workflows.Object);
                Assert.Equal(Defaults.ObserveInterval, observation.NextIn);
                clock.Advance(observation.NextIn);
            }
        }

        await RunUntilAsync(start.AddHours(2));
        var before = aci.Server.Requests.Count(r => r.IsRead);
        await RunUntilAsync(start.AddHours(6));

        var reads = aci.Server.Requests.Count(r => r.IsRead) - before;
        var podMinutes = pods * 240.0;
        Assert.True(reads / podMinutes <= 0.1, $"{reads} ARM reads (lists included) in {podMinutes} pod-minutes with {pods} pods: {reads / podMinutes:0.000} per pod-minute");

        // The exit at 7 h (the group started once provisioned, seconds in) is raised to its workflow, late by at most a
        // settled group's read interval and one observation.
        Assert.Null(exitRaisedAt);
        await RunUntilAsync(start.AddHours(7.5));
        Assert.NotNull(exitRaisedAt);
        var exitedAt = start + TimeSpan.FromHours(7);
        Assert.InRange(exitRaisedAt!.Value, exitedAt, exitedAt + Defaults.MaxReadInterval + Defaults.ObserveInterval + TimeSpan.FromMinutes(1));
    }

    private static ObserveNodeActivity Observer(AciHarness aci, InMemoryObjectStore store)
    {
        var services = new ServiceCollection()
            .AddSingleton(new ObjectRegistry(store, BuiltInKinds.Registry(), [], TimeProvider.System, NullLogger<ObjectRegistry>.Instance))
            .AddSingleton<IOptions<NodeOptions>>(Options.Create(new NodeOptions()))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ILogger<NodeAgent>>(NullLogger<NodeAgent>.Instance)
            .BuildServiceProvider();
        var node = new NodeRuntime(AciHarness.Node, aci.Runtime) { ResyncInterval = aci.Options.ObserveInterval, StreamsExits = false };
        return new ObserveNodeActivity(services, new NodeRuntimes([node]), store, Options.Create(new NodeOptions()));
    }
}
