using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using DurableKube.Workflows.Namespaces;
using k8s.Models;
using Microsoft.DurableTask.Client;

namespace DurableKube.Workflows.Tests.Recovery;

/// <summary>
/// A workflow that ended without finishing its work is started again, as a new execution that relists:
/// by the next change of its object, or by the dispatcher's resync.
/// </summary>
public sealed class RecoveryTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await WorkflowHarness.StartAsync(new() { ["Dispatcher:ResyncInterval"] = "00:00:01" });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_pod_whose_workflow_was_terminated_carries_on_where_it_was()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        var pod = await _harness.CreatePodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "survivor" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "3600"] }] },
        });
        await _harness.WaitForPodAsync("survivor", p => p.Status.Phase == "Running");
        var instanceId = PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);

        await TerminateAsync(instanceId, "an operator ended it");

        // The resync starts it again; it picks the running container up (no second start) and goes on:
        // the container's exit is restarted as the pod's policy says.
        await WaitForStateAsync(instanceId, s => s == WorkflowInstanceState.Running);
        Assert.True(_harness.Runtime.Exit(new ContainerRunId(pod.Metadata.Uid, "app", 0), 1));
        var restarted = await _harness.WaitForPodAsync("survivor", p => p.Status.ContainerStatuses?.Single().RestartCount == 1 && p.Status.Phase == "Running");

        Assert.Equal(1, restarted.Status.ContainerStatuses.Single().LastState.Terminated.ExitCode);
        Assert.Equal(["app/0", "app/1"], _harness.Runtime.Launches.Select(l => $"{l.Id.ContainerName}/{l.Id.Attempt}"));
    }

    [Fact]
    public async Task A_namespace_finishes_deleting_once_a_fault_that_outlasted_its_retries_is_gone()
    {
        await _harness.Registry.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        var ns = (V1Namespace)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, "doomed")))!;

        // Every list of what the namespace holds fails, for longer than one turn's tries.
        _harness.Faults.Fault = (operation, _, @namespace) =>
            operation == "List" && @namespace == "doomed" ? new IOException("storage unavailable") : null;
        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Namespaces, null, "doomed"));
        var instanceId = new NamespaceRef("doomed", ns.Metadata.Uid).WorkflowInstanceId;
        await WaitUntilAsync(() => Task.FromResult(_harness.Faults.Faulted >= 4), "the namespace workflow to fail a few times");
        Assert.Equal(WorkflowInstanceState.Running, await _harness.Workflows.GetStateAsync(instanceId));
        Assert.NotNull(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, "doomed")));

        _harness.Faults.Fault = null;

        await WaitUntilAsync(async () => await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, "doomed")) is null, "the namespace to be removed");
        await WaitForStateAsync(instanceId, s => s == WorkflowInstanceState.Completed);
    }

    [Fact]
    public async Task A_namespace_whose_workflow_failed_is_finished_by_a_new_execution()
    {
        await _harness.Registry.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { Metadata = new V1ObjectMeta { Name = "orphaned" } });
        // Only the namespace's own listing fails: the resync's and the garbage collector's lists of every pod must
        // not fail too, or nothing would start the workflow this test terminates.
        _harness.Faults.Fault = (operation, type, @namespace) =>
            operation == "List" && type == ResourceTypes.Pods && @namespace == "orphaned" ? new IOException("storage unavailable") : null;
        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Namespaces, null, "orphaned"));
        var ns = (V1Namespace)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, "orphaned")))!;
        var instanceId = new NamespaceRef("orphaned", ns.Metadata.Uid).WorkflowInstanceId;
        await WaitForStateAsync(instanceId, s => s == WorkflowInstanceState.Running);

        await TerminateAsync(instanceId, "lost");
        _harness.Faults.Fault = null;

        await WaitUntilAsync(async () => await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, "orphaned")) is null, "the namespace to be removed");
    }

    /// <summary>
    /// Terminates the running execution and waits until it is over. The dispatcher's resync (every second here)
    /// may start the next execution before a poll sees Terminated, so a new execution counts too.
    /// </summary>
    private async Task TerminateAsync(string instanceId, string reason)
    {
        var before = (await _harness.Client.GetInstanceAsync(instanceId))?.CreatedAt;
        await _harness.Client.TerminateInstanceAsync(instanceId, reason);
        await WaitUntilAsync(
            async () => await _harness.Client.GetInstanceAsync(instanceId) is { } now
                && (now.RuntimeStatus == OrchestrationRuntimeStatus.Terminated || now.CreatedAt != before),
            $"workflow {instanceId} to be terminated");
    }

    private async Task WaitForStateAsync(string instanceId, Func<WorkflowInstanceState?, bool> condition) =>
        await WaitUntilAsync(async () => condition(await _harness.Workflows.GetStateAsync(instanceId)), $"workflow {instanceId} to reach the state");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Timed out waiting for " + what);
    }
}
