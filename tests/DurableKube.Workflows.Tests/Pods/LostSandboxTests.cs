using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Testing.Runtime;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Tests.Events;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>
/// A pod-scoped sandbox deleted behind the kubelet's back (an ACI container group deleted in the portal): the kubelet
/// makes it again and restarts the containers when the restart policy says so, counting the restart and saying why;
/// with restartPolicy Never the containers end as lost (137, ContainerStatusUnknown) and the pod fails.
/// </summary>
public sealed class LostSandboxTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await WorkflowHarness.StartAsync();
        _harness.Runtime.Scope = SandboxScope.Pod;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Pod Pod(string name, string restartPolicy) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sh", "-c", "serve"] }, new V1Container { Name = "side", Image = "busybox", Command = ["sh", "-c", "log"] }],
        },
    };

    [Theory]
    [InlineData("Always")]
    [InlineData("OnFailure")]
    public async Task A_deleted_sandbox_is_made_again_and_every_container_restarts_once_with_the_loss_as_its_last_state(string policy)
    {
        var created = await _harness.CreatePodAsync(Pod("web", policy));
        await _harness.WaitForPodAsync("web", p => p.Status.Phase == "Running" && p.Status.ContainerStatuses?.All(c => c.State.Running is not null) == true);

        _harness.Runtime.LoseSandbox(created.Metadata.Uid);

        var pod = await _harness.WaitForPodAsync("web", p => p.Status.ContainerStatuses?.All(c => c.RestartCount == 1 && c.State.Running is not null) == true);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.All(pod.Status.ContainerStatuses, c => Assert.Equal(("ContainerStatusUnknown", 137), (c.LastState.Terminated.Reason, c.LastState.Terminated.ExitCode)));
        Assert.Equal(2, _harness.Runtime.Sandboxes.Count(s => s.PodUid == created.Metadata.Uid));
        Assert.Equal(["main", "side"], _harness.Runtime.Launches.Where(l => l.Id.Attempt == 1).Select(l => l.Id.ContainerName).Order());
        Assert.Empty(_harness.Runtime.SandboxRestarts);
    }

    [Fact]
    public async Task With_restartPolicy_Never_a_deleted_sandbox_is_not_made_again_and_the_pod_fails_with_its_containers_unknown()
    {
        var created = await _harness.CreatePodAsync(Pod("job", "Never"));
        await _harness.WaitForPodAsync("job", p => p.Status.Phase == "Running" && p.Status.ContainerStatuses?.All(c => c.State.Running is not null) == true);

        _harness.Runtime.LoseSandbox(created.Metadata.Uid);

        var pod = await _harness.WaitForPodAsync("job", p => p.Status.Phase == "Failed");
        Assert.All(pod.Status.ContainerStatuses, c => Assert.Equal(("ContainerStatusUnknown", 137, 0), (c.State.Terminated.Reason, c.State.Terminated.ExitCode, c.RestartCount)));
        Assert.Single(_harness.Runtime.Sandboxes, s => s.PodUid == created.Metadata.Uid);
    }
}

/// <summary>The kubelet's sync given a pod-scoped sandbox that is gone: a loss, an event, and a status saying so, never a failed activity.</summary>
public sealed class LostSandboxSyncTests
{
    private readonly RecordingEventRecorder _events = new();
    private readonly SyncPodHarness _sync;

    public LostSandboxSyncTests()
    {
        _sync = new SyncPodHarness(_events);
        _sync.Runtime.Scope = SandboxScope.Pod;
    }

    /// <summary>A pod on node-1 whose container runs, as the workflow holds it after its first sync.</summary>
    private async Task<PodLifecycleState> RunningAsync(string restartPolicy)
    {
        await _sync.StoreNodeAsync();
        var pod = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-web" },
            Spec = new V1PodSpec { NodeName = "node-1", RestartPolicy = restartPolicy, EnableServiceLinks = false, Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["serve"] }] },
            Status = new V1PodStatus { Phase = "Pending" },
        });
        var state = PodLifecycle.Apply(PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes), [new PodBound("node-1")]);
        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands));
        state = PodLifecycle.Apply(state, result.Outcomes);
        Assert.True(state.Find("app")!.IsRunning);
        return state;
    }

    [Fact]
    public async Task A_restart_of_a_sandbox_that_is_gone_is_a_loss_with_a_SandboxChanged_event_and_the_container_shown_lost()
    {
        var state = await RunningAsync("Always");
        _sync.Runtime.Exit(new ContainerRunId("uid-web", "app", 0), 1);
        state = PodLifecycle.Observe(state, new ContainerExited("app", 0, DateTimeOffset.UtcNow, 1));
        var commands = PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands;
        Assert.Equal([new RestartSandbox(1)], commands);
        _sync.Runtime.LoseSandbox("uid-web");

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, commands));

        var lost = Assert.IsType<SandboxLost>(Assert.Single(result.Outcomes));
        Assert.Equal(1, lost.Attempt);
        Assert.Contains("gone", lost.Message, StringComparison.Ordinal);
        Assert.Contains("SandboxChanged Pod sandbox changed, it will be killed and re-created.", _events.Lines);
        state = PodLifecycle.Apply(state, result.Outcomes);
        Assert.Equal([new CreateSandbox(), new StartContainer("app", 1)], PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands);

        // The next sync makes the sandbox again and takes on run 1: one restart.
        result = await _sync.Activity().RunAsync(new SyncPodRequest(state, PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands));
        state = PodLifecycle.Apply(state, result.Outcomes);
        var pod = (V1Pod)(await _sync.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web")))!;
        var status = Assert.Single(pod.Status.ContainerStatuses);
        Assert.Equal((1, "Running"), (status.RestartCount, pod.Status.Phase));
        Assert.NotNull(status.State.Running);
    }

    [Fact]
    public async Task A_start_in_a_sandbox_that_is_gone_is_a_loss_too_never_a_CreateContainerError()
    {
        var state = await RunningAsync("Always");
        _sync.Runtime.LoseSandbox("uid-web");

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new StartContainer("app", 0)]));

        var lost = Assert.IsType<SandboxLost>(Assert.Single(result.Outcomes));
        state = PodLifecycle.Apply(state, result.Outcomes);
        Assert.Equal((1, (SandboxAddresses?)null), (state.SandboxGeneration, state.Sandbox));
        Assert.Null(state.Find("app")!.CreateError);
        Assert.Equal(0, lost.Attempt);
    }
}
