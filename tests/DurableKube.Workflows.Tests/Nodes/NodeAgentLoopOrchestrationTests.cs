using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Nodes;
using k8s.Models;
using Microsoft.DurableTask.Client;

namespace DurableKube.Workflows.Tests.Nodes;

/// <summary>
/// A node's agent as a durable loop on the real (in-process) Durable Task host, with no other node agent
/// running: it registers the node, forwards a container's exit to its pod's workflow, and ends once the node is empty.
/// </summary>
public sealed class NodeAgentLoopOrchestrationTests : IAsyncLifetime
{
    private const string Node = "node-1";
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync(runNodeAgent: false);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<OrchestrationMetadata> RunLoopAsync(Func<Task> whileRunning)
    {
        var instance = NodeAgentLoop.InstanceIdFor(Node);
        Assert.True(await _harness.Workflows.StartAsync(NodeAgentLoop.Name, instance, new NodeAgentLoopState(Node)));
        await whileRunning();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _harness.Client.WaitForInstanceCompletionAsync(instance, getInputsAndOutputs: true, guard.Token);
    }

    [Fact]
    public async Task The_loop_of_an_empty_node_registers_it_and_ends()
    {
        var done = await RunLoopAsync(() => Task.CompletedTask);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"\"{Node}\"", done.SerializedOutput);
        var node = (V1Node?)await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, Node));
        Assert.Equal("True", node?.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task The_loop_forwards_the_exit_of_its_pods_container_and_ends_once_the_pod_has_finished()
    {
        await RunLoopAsync(() => Task.CompletedTask); // Registers the node, so the pod can be scheduled.
        var pod = await _harness.CreatePodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "once" },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sleep", "3600"] }],
            },
        });
        await _harness.WaitForPodAsync("once", p => p.Status?.Phase == "Running");

        var done = await RunLoopAsync(async () =>
        {
            // Only the loop reports exits here (no hosted node agent runs): the pod finishes only if it does.
            Assert.True(_harness.Runtime.Exit(new ContainerRunId(pod.Metadata.Uid, "main", 0), 0));
            await _harness.WaitForPodAsync("once", p => p.Status?.Phase == "Succeeded");
        });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }
}
