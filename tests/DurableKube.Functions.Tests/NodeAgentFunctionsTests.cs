using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Functions.Nodes;
using DurableKube.Functions.Tests.Support;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using k8s.Models;
using Microsoft.Azure.Functions.Worker;

namespace DurableKube.Functions.Tests;

/// <summary>The node agent's timer: heartbeat and exit resync over the invocation's (mocked) Durable Task client.</summary>
public sealed class NodeAgentFunctionsTests : IDisposable
{
    private readonly FunctionHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private Task TickAsync() => NodeAgentFunctions.TickAsync(new TimerInfo(), _harness.Client.Object, _harness.Context);

    [Fact]
    public async Task A_tick_registers_the_node_and_the_next_refreshes_it()
    {
        await TickAsync();
        var first = (V1Node)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, FunctionHarness.NodeName)))!;

        // An hour passes without a heartbeat; the next tick refreshes it.
        var stale = DateTime.UtcNow.AddHours(-1);
        first.Status.Conditions.Single(c => c.Type == "Ready").LastHeartbeatTime = stale;
        first = (V1Node)await _harness.Store.UpdateAsync(ResourceTypes.Nodes, first);
        await TickAsync();
        var second = (V1Node)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, FunctionHarness.NodeName)))!;

        Assert.Equal("True", second.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal(first.Metadata.Uid, second.Metadata.Uid);
        Assert.True(second.Status.Conditions.Single(c => c.Type == "Ready").LastHeartbeatTime > stale.AddMinutes(59));
    }

    [Fact]
    public async Task A_tick_raises_an_unacknowledged_exit_to_its_pods_workflow_once()
    {
        var run = new ContainerRunId("u-7", "app", 2);
        // The pod exists: a run whose pod is gone is an orphan, which the tick removes instead.
        await _harness.StorePodAsync("web", change: p => p.Metadata.Uid = "u-7");
        await _harness.Runtime.CreateSandboxAsync(new SandboxSpec("u-7", "default", "web", FunctionHarness.NodeName));
        await _harness.Runtime.StartContainerAsync(new ContainerLaunch(run, "default", "web", "busybox", ["sleep", "1"], [], null));
        Assert.True(_harness.Runtime.Exit(run, 3));
        object? raised = null;
        _harness.Client
            .Setup(c => c.RaiseEventAsync("pod-u-7", PodSignal.EventName, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object?, CancellationToken>((_, _, payload, _) => raised = payload)
            .Returns(Task.CompletedTask);

        await TickAsync();
        await TickAsync();

        var exited = Assert.IsType<ContainerExited>(Assert.IsType<PodEvent>(raised).Signal);
        Assert.Equal(("app", 2, 3), (exited.Name, exited.Attempt, exited.ExitCode));
        Assert.True(Assert.Single(_harness.Runtime.Runs).Acknowledged);
        _harness.Client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.NotNull(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, FunctionHarness.NodeName)));
    }
}
