using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary><see cref="PodLifecycle.Initialize"/> of a pod whose workflow starts again: its state comes back from its status.</summary>
public class PodLifecycleRecoveryTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    private static DateTime At(int seconds) => T0.AddSeconds(seconds).UtcDateTime;

    private static V1ContainerStatus Running(string name, int restartCount, int startedAt, V1ContainerStateTerminated? last = null) => new()
    {
        Name = name,
        Image = "busybox",
        ImageID = string.Empty,
        Ready = true,
        RestartCount = restartCount,
        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = At(startedAt) } },
        LastState = last is null ? null : new V1ContainerState { Terminated = last },
    };

    private static V1ContainerStatus Waiting(string name, int restartCount, string reason, V1ContainerStateTerminated? last = null) => new()
    {
        Name = name,
        Image = "busybox",
        ImageID = string.Empty,
        Ready = false,
        RestartCount = restartCount,
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } },
        LastState = last is null ? null : new V1ContainerState { Terminated = last },
    };

    private static V1ContainerStatus Terminated(string name, int restartCount, V1ContainerStateTerminated terminated) => new()
    {
        Name = name,
        Image = "busybox",
        ImageID = string.Empty,
        Ready = false,
        RestartCount = restartCount,
        State = new V1ContainerState { Terminated = terminated },
    };

    private static V1ContainerStateTerminated Exit(int exitCode, int startedAt, int finishedAt, string? reason = null) => new()
    {
        ExitCode = exitCode,
        Reason = reason ?? (exitCode == 0 ? "Completed" : "Error"),
        StartedAt = At(startedAt),
        FinishedAt = At(finishedAt),
    };

    private static V1Pod Pod(string phase, string restartPolicy = "Always", string[]? inits = null, string[]? sidecars = null, params V1ContainerStatus[] statuses)
    {
        var pod = TestPods.Pod(restartPolicy, inits: inits, sidecars: sidecars);
        var initNames = (pod.Spec.InitContainers ?? []).Select(c => c.Name).ToHashSet();
        pod.Spec.NodeName = "node-1";
        pod.Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = "10.0.0.5",
            HostIP = "192.168.1.2",
            InitContainerStatuses = statuses.Where(s => initNames.Contains(s.Name)).ToList(),
            ContainerStatuses = statuses.Where(s => !initNames.Contains(s.Name)).ToList(),
        };
        return pod;
    }

    /// <summary>The relist every recovered state asks for first, answered with nothing new.</summary>
    private static PodLifecycleState Relisted(PodLifecycleState state)
    {
        Assert.Equal<KubeletCommand>([new Relist()], PodLifecycle.Plan(state, T0).Commands);
        return PodLifecycle.Apply(state, [new Relisted()]);
    }

    [Fact]
    public void A_running_pod_comes_back_on_its_node_in_its_sandbox_with_its_runs_and_relists_first()
    {
        var pod = Pod("Running", statuses: [Running("app", 2, 0, Exit(1, -20, -5))]);

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.Equal("node-1", state.NodeName);
        Assert.Equal(new SandboxAddresses("10.0.0.5", "192.168.1.2"), state.Sandbox);
        Assert.True(state.NeedsRelist);
        Assert.False(state.Terminal);
        Assert.Null(state.Termination);
        var app = state.Find("app")!;
        Assert.Equal(new ContainerRun(2, T0), app.Run);
        Assert.Equal(new ContainerRun(1, T0.AddSeconds(-20), T0.AddSeconds(-5), 1), app.PreviousRun);
        Assert.Equal(2, app.RestartCount);
        Assert.Equal(TimeSpan.FromSeconds(2), app.Backoff);
        Assert.Null(app.RestartAt);

        state = Relisted(state);
        var plan = PodLifecycle.Plan(state, T0.AddSeconds(1));
        Assert.Empty(plan.Commands);
        Assert.Null(plan.WakeAt);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]  // capped (BackoffMax 4 s)
    [InlineData(50, 4)]
    public void The_back_off_comes_back_from_the_restart_count_and_times_the_next_restart(int restartCount, int? backoffSeconds)
    {
        var state = Relisted(PodLifecycle.Initialize(Pod("Running", statuses: [Running("app", restartCount, 0)]), TestPods.Scaled));
        Assert.Equal(backoffSeconds is { } b ? TimeSpan.FromSeconds(b) : (TimeSpan?)null, state.Find("app")!.Backoff);

        state = state.Exited("app", restartCount, T0.AddSeconds(1), 1);

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(1));
        if (backoffSeconds is null)
        {
            Assert.Equal<KubeletCommand>([new StartContainer("app", 1)], plan.Commands);
        }
        else
        {
            Assert.Empty(plan.Commands);
            Assert.Equal(T0.AddSeconds(1 + backoffSeconds.Value), plan.WakeAt);
            Assert.Equal<KubeletCommand>([new StartContainer("app", restartCount + 1)], PodLifecycle.Plan(state, plan.WakeAt!.Value).Commands);
        }
    }

    [Fact]
    public void A_container_in_CrashLoopBackOff_comes_back_exited_with_its_restart_due_after_its_back_off()
    {
        var pod = Pod("Running", statuses: [Waiting("app", 3, "CrashLoopBackOff", Exit(1, -2, -1))]);

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        var app = state.Find("app")!;
        Assert.Equal(new ContainerRun(3, T0.AddSeconds(-2), T0.AddSeconds(-1), 1), app.Run);
        Assert.Equal(TimeSpan.FromSeconds(4), app.Backoff);
        Assert.Equal(T0.AddSeconds(3), app.RestartAt);
        Assert.True(state.NeedsRelist);

        state = Relisted(state);
        var plan = PodLifecycle.Plan(state, T0);
        Assert.Empty(plan.Commands);
        Assert.Equal(T0.AddSeconds(3), plan.WakeAt);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 4)], PodLifecycle.Plan(state, T0.AddSeconds(3)).Commands);
    }

    [Fact]
    public void A_container_in_CrashLoopBackOff_is_shown_so_again_and_an_Error_not_yet_shown_in_back_off_stays_Error()
    {
        var looping = PodLifecycle.Initialize(Pod("Running", statuses: [Waiting("app", 3, "CrashLoopBackOff", Exit(1, -2, -1))]), TestPods.Scaled);
        var exited = PodLifecycle.Initialize(Pod("Running", statuses: [Terminated("app", 3, Exit(1, -2, -1))]), TestPods.Scaled);

        Assert.True(looping.Find("app")!.BackoffShown);
        Assert.Empty(PodLifecycle.BackoffsFound(looping, []));
        Assert.False(exited.Find("app")!.BackoffShown);
        Assert.Equal<KubeletOutcome>([new BackoffShown("app", 3)], PodLifecycle.BackoffsFound(exited, []));
    }

    [Fact]
    public void A_crashed_run_that_lasted_past_the_reset_restarts_at_once()
    {
        var pod = Pod("Running", statuses: [Waiting("app", 3, "CrashLoopBackOff", Exit(1, -100, -1))]);

        var state = Relisted(PodLifecycle.Initialize(pod, TestPods.Scaled));

        Assert.Equal(T0.AddSeconds(-1), state.Find("app")!.RestartAt);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 4)], PodLifecycle.Plan(state, T0).Commands);
    }

    [Theory]
    [InlineData("Never", "Succeeded", 0)]
    [InlineData("OnFailure", "Succeeded", 0)]
    [InlineData("Never", "Failed", 1)]
    [InlineData("Always", "Failed", 1)] // failed for another reason (a deadline): its exit does not bring it back
    public void A_finished_pod_stays_terminal_and_nothing_restarts(string restartPolicy, string phase, int exitCode)
    {
        var pod = Pod(phase, restartPolicy, statuses: [Terminated("app", 0, Exit(exitCode, -10, -5))]);

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.True(state.Terminal);
        Assert.True(state.NeedsRelist);
        var app = state.Find("app")!;
        Assert.Equal(new ContainerRun(0, T0.AddSeconds(-10), T0.AddSeconds(-5), exitCode), app.Run);
        Assert.All(state.Containers, c => Assert.Null(c.RestartAt));

        state = Relisted(state);
        var plan = PodLifecycle.Plan(state, T0.AddSeconds(600));
        Assert.Empty(plan.Commands);
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void A_pod_with_no_status_starts_fresh()
    {
        var pod = TestPods.Pod();
        pod.Spec.NodeName = "node-1";

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        var expected = new PodLifecycleState(
            new PodIdentity("default", "web", "uid-1"),
            PodRestartPolicy.Always,
            [new ContainerTrack("app", ContainerRole.App)],
            TestPods.Scaled,
            TimeSpan.FromSeconds(30));
        Assert.Equal(expected.Containers, state.Containers);
        Assert.Equal(expected, state with { Containers = expected.Containers });
        Assert.Equal<KubeletCommand>([new BindPod(), new CreateSandbox(), new StartContainer("app", 0)], PodLifecycle.Plan(state, T0).Commands);
    }

    [Fact]
    public void A_pending_pod_whose_status_shows_nothing_run_starts_fresh()
    {
        var pod = TestPods.Pod();
        pod.Status = new V1PodStatus { Phase = "Pending", QosClass = "BestEffort", ContainerStatuses = [Waiting("app", 0, "ContainerCreating")] };

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.Equal(PodLifecycle.Initialize(TestPods.Pod(), TestPods.Scaled) with { Containers = state.Containers }, state);
        Assert.Equal([new ContainerTrack("app", ContainerRole.App)], state.Containers);
        Assert.False(state.NeedsRelist);
    }

    [Fact]
    public void A_pod_with_a_sandbox_and_no_container_started_yet_starts_its_containers_there()
    {
        var pod = TestPods.Pod();
        pod.Spec.NodeName = "node-1";
        pod.Status = new V1PodStatus { Phase = "Pending", PodIP = "10.0.0.5" };

        var state = Relisted(PodLifecycle.Initialize(pod, TestPods.Scaled));

        Assert.Equal(new SandboxAddresses("10.0.0.5", "10.0.0.5"), state.Sandbox);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 0)], PodLifecycle.Plan(state, T0).Commands);
    }

    [Fact]
    public void Init_containers_and_sidecars_come_back_as_they_ran()
    {
        var pod = Pod(
            "Running",
            inits: ["setup"],
            sidecars: ["proxy"],
            statuses: [Terminated("setup", 0, Exit(0, -10, -8)), Running("proxy", 0, -8), Running("app", 0, -7)]);

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.Equal(
            [("setup", ContainerRole.Init), ("proxy", ContainerRole.Sidecar), ("app", ContainerRole.App)],
            state.Containers.Select(c => (c.Name, c.Role)));
        Assert.Equal(new ContainerRun(0, T0.AddSeconds(-10), T0.AddSeconds(-8), 0), state.Find("setup")!.Run);
        Assert.Null(state.Find("setup")!.RestartAt);
        Assert.Equal(new ContainerRun(0, T0.AddSeconds(-8)), state.Find("proxy")!.Run);
        Assert.Equal(new ContainerRun(0, T0.AddSeconds(-7)), state.Find("app")!.Run);
        Assert.Empty(PodLifecycle.Plan(Relisted(state), T0).Commands);
    }

    [Fact]
    public void A_failing_init_container_comes_back_in_its_back_off_and_the_app_containers_wait()
    {
        var pod = Pod(
            "Pending",
            inits: ["setup"],
            statuses: [Waiting("setup", 2, "CrashLoopBackOff", Exit(1, -3, -2)), Waiting("app", 0, "PodInitializing")]);

        var state = Relisted(PodLifecycle.Initialize(pod, TestPods.Scaled));

        Assert.Equal(T0, state.Find("setup")!.RestartAt);
        Assert.True(state.Find("app")!.NeverStarted);
        Assert.Equal<KubeletCommand>([new StartContainer("setup", 3)], PodLifecycle.Plan(state, T0).Commands);
    }

    [Theory]
    [InlineData("OOMKilled", "OOMKilled")]
    [InlineData("ContainerStatusUnknown", "ContainerStatusUnknown")]
    [InlineData("Error", null)]       // the reasons an exit code alone gives are not the runtime's
    [InlineData("Completed", null)]
    public void The_runtimes_reason_for_an_exit_comes_back(string reason, string? expected)
    {
        var pod = Pod("Running", statuses: [Waiting("app", 1, "CrashLoopBackOff", Exit(137, -3, -2, reason))]);

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.Equal(expected, state.Find("app")!.Run!.Reason);
        Assert.Equal(137, state.Find("app")!.Run!.ExitCode);
    }

    [Fact]
    public void A_pod_being_deleted_comes_back_terminating_and_stops_its_running_containers()
    {
        var pod = Pod("Running", statuses: [Running("app", 1, -5)]);
        pod.Metadata.DeletionTimestamp = At(30);
        pod.Metadata.DeletionGracePeriodSeconds = 30;

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.Equal(new PodTermination(T0.AddSeconds(30), ObjectGone: false), state.Termination);
        Assert.True(state.Find("app")!.IsRunning);
        var plan = PodLifecycle.Plan(Relisted(state), T0);
        Assert.Equal<KubeletCommand>([new StopContainer("app", 1, StopSignal.Terminate)], plan.Commands);
        Assert.Equal(T0.AddSeconds(30), plan.WakeAt);
    }
}
