using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Functions.Tests.Support;
using DurableKube.Functions.Workflows;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Pods;
using k8s.Models;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Functions.Tests;

/// <summary>
/// The node agent as a durable loop (orchestration <see cref="NodeAgentLoop"/>, activity <see cref="ObserveNodeActivity"/>)
/// and the resync driven by changes: what runs while pods run, and that nothing runs while nothing happens.
/// </summary>
public sealed class NodeAgentLoopTests : IDisposable
{
    private static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly FunctionHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private Task<NodeObservation> ObserveAsync() =>
        ActivityFunctions.ObserveNodeAsync(FunctionHarness.NodeName, _harness.Client.Object, _harness.Context);

    private static Mock<TaskOrchestrationContext> LoopContext(NodeAgentLoopState state, params NodeObservation[] observations)
    {
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        context.SetupGet(c => c.Name).Returns(new TaskName(NodeAgentLoop.Name));
        context.SetupGet(c => c.InstanceId).Returns(NodeAgentLoop.InstanceIdFor(state.Node));
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<Type>())).Returns(NullLogger.Instance);
        context.Setup(c => c.GetInput<NodeAgentLoopState>()).Returns(state);
        var queue = new Queue<NodeObservation>(observations);
        context
            .Setup(c => c.CallActivityAsync<NodeObservation>(It.Is<TaskName>(n => n.Name == ObserveNodeActivity.Name), state.Node, It.IsAny<TaskOptions?>()))
            .ReturnsAsync(() => queue.Dequeue());
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        return context;
    }

    [Fact]
    public async Task Observing_registers_the_node_and_says_an_empty_node_holds_nothing()
    {
        var observation = await ObserveAsync();

        Assert.False(observation.HoldsPods);
        var node = (V1Node)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, FunctionHarness.NodeName)))!;
        Assert.Equal("True", node.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task A_node_holds_a_pod_bound_to_it_until_the_pod_finishes()
    {
        var pod = await _harness.StorePodAsync("web", change: p => p.Spec.NodeName = FunctionHarness.NodeName);
        Assert.True((await ObserveAsync()).HoldsPods);

        pod.Status.Phase = "Succeeded";
        await _harness.Store.UpdateAsync(ResourceTypes.Pods, pod);

        Assert.False((await ObserveAsync()).HoldsPods);
    }

    [Fact]
    public async Task Observing_raises_an_unacknowledged_exit_to_its_running_pod_workflow_until_its_kubelet_acknowledges_it_and_holds_the_node_until_then()
    {
        // The pod exists (so its run is no orphan) and says no node: only the runtime's run holds the node.
        await _harness.StorePodAsync("web", change: p => p.Metadata.Uid = "u-7");
        var run = new ContainerRunId("u-7", "app", 2);
        await _harness.Runtime.CreateSandboxAsync(new SandboxSpec("u-7", "default", "web", FunctionHarness.NodeName));
        await _harness.Runtime.StartContainerAsync(new ContainerLaunch(run, "default", "web", "busybox", ["sleep", "1"], [], null));
        Assert.True((await ObserveAsync()).HoldsPods); // Running: a pod workflow may still need its exit.
        Assert.True(_harness.Runtime.Exit(run, 3));
        _harness.Client
            .Setup(c => c.GetInstanceAsync("pod-u-7", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(PodLifecycleOrchestrator.Name, "pod-u-7") { RuntimeStatus = OrchestrationRuntimeStatus.Running });
        var raised = new List<object?>();
        _harness.Client
            .Setup(c => c.RaiseEventAsync("pod-u-7", PodSignal.EventName, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object?, CancellationToken>((_, _, payload, _) => raised.Add(payload))
            .Returns(Task.CompletedTask);

        // A raised event can be lost: it is raised again at each observation until the kubelet's state holds it.
        Assert.True((await ObserveAsync()).HoldsPods);
        Assert.True((await ObserveAsync()).HoldsPods);
        Assert.Equal(2, raised.Count);
        var exited = Assert.IsType<ContainerExited>(Assert.IsType<PodEvent>(raised[0]).Signal);
        Assert.Equal(("app", 2, 3), (exited.Name, exited.Attempt, exited.ExitCode));

        await _harness.Runtime.AcknowledgeExitAsync(run); // as SyncPodActivity does once the exit is in the workflow's state
        var after = await ObserveAsync();

        Assert.Equal(2, raised.Count);
        Assert.False(after.HoldsPods);
    }

    [Fact]
    public async Task An_exit_no_running_workflow_will_take_is_acknowledged_without_being_raised()
    {
        await _harness.StorePodAsync("web", change: p => p.Metadata.Uid = "u-8");
        var run = new ContainerRunId("u-8", "app", 0);
        await _harness.Runtime.CreateSandboxAsync(new SandboxSpec("u-8", "default", "web", FunctionHarness.NodeName));
        await _harness.Runtime.StartContainerAsync(new ContainerLaunch(run, "default", "web", "busybox", ["sleep", "1"], [], null));
        Assert.True(_harness.Runtime.Exit(run, 0));
        _harness.Client
            .Setup(c => c.GetInstanceAsync("pod-u-8", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(PodLifecycleOrchestrator.Name, "pod-u-8") { RuntimeStatus = OrchestrationRuntimeStatus.Completed });

        await ObserveAsync();

        Assert.True(Assert.Single(_harness.Runtime.Runs).Acknowledged);
        Assert.False((await ObserveAsync()).HoldsPods);
        _harness.Client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task The_loop_observes_on_durable_timers_while_the_node_holds_pods_and_ends_when_it_is_empty()
    {
        var state = new NodeAgentLoopState(FunctionHarness.NodeName);
        var every = TimeSpan.FromSeconds(10);
        var context = LoopContext(state, new(true, every), new(true, every), new(false, every));

        var result = await OrchestratorFunctions.NodeAgentLoopAsync(context.Object);

        Assert.Equal(FunctionHarness.NodeName, result);
        context.Verify(c => c.CallActivityAsync<NodeObservation>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Exactly(3));
        context.Verify(c => c.CreateTimer(Now + every, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task The_loop_continues_as_new_after_its_turns_with_the_same_input()
    {
        var state = new NodeAgentLoopState(FunctionHarness.NodeName);
        var context = LoopContext(state, [.. Enumerable.Repeat(new NodeObservation(true, TimeSpan.FromSeconds(10)), NodeAgentLoop.TurnsPerExecution)]);
        context.Setup(c => c.ContinueAsNew(state, true));

        var result = await OrchestratorFunctions.NodeAgentLoopAsync(context.Object);

        Assert.Null(result);
        context.Verify(c => c.ContinueAsNew(state, true), Times.Once);
    }

    [Fact]
    public async Task An_observation_that_fails_its_retries_is_tried_again_after_a_delay()
    {
        var state = new NodeAgentLoopState(FunctionHarness.NodeName);
        var context = LoopContext(state);
        var calls = 0;
        context
            .Setup(c => c.CallActivityAsync<NodeObservation>(It.IsAny<TaskName>(), state.Node, It.IsAny<TaskOptions?>()))
            .Returns(() => ++calls == 1
                ? Task.FromException<NodeObservation>(new TaskFailedException(ObserveNodeActivity.Name, 1, new TaskFailureDetails("Unavailable", "ARM is down", null, null, null)))
                : Task.FromResult(new NodeObservation(false, TimeSpan.FromSeconds(10))));

        Assert.Equal(FunctionHarness.NodeName, await OrchestratorFunctions.NodeAgentLoopAsync(context.Object));

        context.Verify(c => c.CreateTimer(Now + state.RetryIn, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_pods_binding_starts_its_nodes_loop_and_a_completed_loop_starts_again()
    {
        var pod = await _harness.StorePodAsync("web", change: p => p.Spec.NodeName = FunctionHarness.NodeName);
        var starter = ActivatorUtilities.CreateInstance<NodeAgentStarter>(_harness.Services);
        var instance = NodeAgentLoop.InstanceIdFor(FunctionHarness.NodeName);
        _harness.Client
            .Setup(c => c.GetInstanceAsync(instance, false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(NodeAgentLoop.Name, instance) { RuntimeStatus = OrchestrationRuntimeStatus.Completed });
        _harness.Client
            .Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == NodeAgentLoop.Name), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(instance);
        var binding = new Ports.Queue.ObjectChange(ResourceTypes.Pods.GroupResource, "default", "web", pod.Metadata.Uid, Ports.Queue.ObjectChangeType.Modified, "2")
        {
            Subresource = "binding",
        };

        Assert.True(starter.Wants(binding));
        await starter.HandleAsync(binding, new DurableKube.Workflows.Hosting.DurableTaskClientWorkflowClient(_harness.Client.Object), CancellationToken.None);

        _harness.Client.Verify(
            c => c.ScheduleNewOrchestrationInstanceAsync(
                It.Is<TaskName>(n => n.Name == NodeAgentLoop.Name),
                new NodeAgentLoopState(FunctionHarness.NodeName, null),
                It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == instance),
                It.IsAny<CancellationToken>()),
            Times.Once);
        Assert.False(starter.Wants(binding with { Resource = ResourceTypes.Nodes.GroupResource, Subresource = "status" }));
    }

    [Fact]
    public async Task An_idle_hour_runs_no_function()
    {
        // The app's functions run on a request (HTTP), a queue message (a change, caused by a request or a
        // workflow) or a durable event (an orchestration or activity scheduled by one): none on a schedule.
        var scheduled = FunctionCatalog.Triggers.Count(t => t.Trigger.GetType().Name == "TimerTriggerAttribute");

        // The work that does wake the app unasked, and with it the cost of an hour, counted on the durable timers
        // each loop sets once nothing happens any more: a node that holds no pod and a resync that has run.
        var node = LoopContext(new NodeAgentLoopState(FunctionHarness.NodeName), new NodeObservation(false, TimeSpan.FromSeconds(10)));
        await OrchestratorFunctions.NodeAgentLoopAsync(node.Object);
        var resync = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        resync.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        resync.Setup(c => c.GetInput<ResyncRequest>()).Returns(new ResyncRequest(TimeSpan.FromMinutes(5)));
        resync.Setup(c => c.CreateTimer(Now.AddMinutes(5), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        resync.Setup(c => c.CallActivityAsync<int>(It.Is<TaskName>(n => n.Name == ResyncChangesActivity.Name), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(7);
        Assert.Equal(7, await OrchestratorFunctions.DispatcherResyncAsync(resync.Object));

        // Both ended: no timer is left pending, so nothing wakes the app in the hour that follows.
        node.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
        resync.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(0, scheduled); // The README's figure: 0 executions per idle hour (the 5 s timer this replaces made 720).
    }

    [Fact]
    public async Task A_pod_created_unbound_starts_the_loop_of_a_node_not_registered_yet_so_the_scheduler_finds_it()
    {
        var pod = await _harness.StorePodAsync("web");
        var starter = ActivatorUtilities.CreateInstance<NodeAgentStarter>(_harness.Services);
        var instance = NodeAgentLoop.InstanceIdFor(FunctionHarness.NodeName);
        _harness.Client.Setup(c => c.GetInstanceAsync(instance, false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        _harness.Client
            .Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == NodeAgentLoop.Name), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(instance);
        var added = new Ports.Queue.ObjectChange(ResourceTypes.Pods.GroupResource, "default", "web", pod.Metadata.Uid, Ports.Queue.ObjectChangeType.Added, "1");
        var workflows = new DurableKube.Workflows.Hosting.DurableTaskClientWorkflowClient(_harness.Client.Object);

        await starter.HandleAsync(added, workflows, CancellationToken.None);
        await _harness.StoreNodeAsync();
        await starter.HandleAsync(added, workflows, CancellationToken.None);

        // Started for the unregistered node; once the node is registered, an unbound pod starts nothing.
        _harness.Client.Verify(
            c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()),
            Times.Once);
    }
}
