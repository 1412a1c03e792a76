using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Kubelet.Probes;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet.Probes;

public class PodLifecycleProbeTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    private static V1Probe Exec(long? grace = null) => new() { Exec = new V1ExecAction { Command = ["cat", "healthy"] }, TerminationGracePeriodSeconds = grace };

    private static PodLifecycleState Running(string policy = "Always", Action<V1Container>? probes = null, string[]? sidecars = null)
    {
        var pod = TestPods.Pod(policy, sidecars: sidecars);
        probes?.Invoke(pod.Spec.Containers[0]);
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed();
        foreach (var sidecar in sidecars ?? [])
        {
            state = state.Started(sidecar, 0, T0);
        }

        return state.Started("app", 0, T0);
    }

    private static V1PodStatus Status(PodLifecycleState state, Action<V1Container>? probes = null, string[]? sidecars = null)
    {
        var pod = TestPods.Pod(sidecars: sidecars);
        probes?.Invoke(pod.Spec.Containers[0]);
        return PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(1));
    }

    private static ContainerProbed Probed(ProbeKind kind, ProbeResult result, int attempt = 0, int at = 1, string name = "app") =>
        new(name, attempt, kind, result, T0.AddSeconds(at), result == ProbeResult.Failure ? "cat: healthy: No such file or directory" : null);

    [Theory]
    // readiness probe?, startup probe?, signals -> started, ready
    [InlineData(false, false, "", true, true)]
    [InlineData(true, false, "", true, false)]
    [InlineData(true, false, "R+", true, true)]
    [InlineData(true, false, "R+R-", true, false)]
    [InlineData(false, true, "", false, false)]
    [InlineData(false, true, "S+", true, true)]
    [InlineData(true, true, "R+", false, false)]
    [InlineData(true, true, "S+R+", true, true)]
    [InlineData(true, true, "R+S+", true, true)]
    [InlineData(true, false, "L+L-R+", true, true)]
    public void Probe_results_make_a_running_container_started_and_ready(bool readiness, bool startup, string signals, bool started, bool ready)
    {
        void Probes(V1Container c)
        {
            c.ReadinessProbe = readiness ? Exec() : null;
            c.StartupProbe = startup ? Exec() : null;
            c.LivenessProbe = Exec();
        }

        var state = Running(probes: Probes);
        for (var i = 0; i < signals.Length; i += 2)
        {
            var kind = signals[i] switch { 'R' => ProbeKind.Readiness, 'S' => ProbeKind.Startup, _ => ProbeKind.Liveness };
            var result = signals[i + 1] == '+' ? ProbeResult.Success : ProbeResult.Failure;
            state = PodLifecycle.Observe(state, Probed(kind, result));
        }

        var app = state.Find("app")!;
        Assert.Equal((started, ready), (app.IsStarted, app.IsReady));
        var status = Status(state, Probes).ContainerStatuses.Single();
        Assert.Equal((started, ready), (status.Started, status.Ready));
    }

    [Fact]
    public void A_readiness_flip_writes_the_status_and_the_conditions_follow()
    {
        void Probes(V1Container c) => c.ReadinessProbe = Exec();
        var state = Running(probes: Probes);
        state = state with { WrittenRevision = state.Revision };

        var ready = PodLifecycle.Observe(state, Probed(ProbeKind.Readiness, ProbeResult.Success));
        Assert.True(PodLifecycle.Plan(ready, T0.AddSeconds(1)).WriteStatus);
        var conditions = Status(ready, Probes).Conditions.ToDictionary(c => c.Type, c => c.Status);
        Assert.Equal(("True", "True"), (conditions["ContainersReady"], conditions["Ready"]));

        var unready = PodLifecycle.Observe(ready with { WrittenRevision = ready.Revision }, Probed(ProbeKind.Readiness, ProbeResult.Failure, at: 2));
        Assert.True(PodLifecycle.Plan(unready, T0.AddSeconds(2)).WriteStatus);
        var status = Status(unready, Probes);
        var condition = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [app]"), (condition.Status, condition.Reason, condition.Message));
        Assert.Equal("Running", status.Phase);
        Assert.Empty(PodLifecycle.Plan(unready, T0.AddSeconds(2)).Commands);
    }

    [Fact]
    public void A_repeated_result_changes_nothing()
    {
        var state = Running(probes: c => c.ReadinessProbe = Exec());
        var once = PodLifecycle.Observe(state, Probed(ProbeKind.Readiness, ProbeResult.Success));

        Assert.Same(once, PodLifecycle.Observe(once, Probed(ProbeKind.Readiness, ProbeResult.Success, at: 5)));
    }

    [Theory]
    [InlineData(1, ProbeKind.Readiness, ProbeResult.Success)]
    [InlineData(1, ProbeKind.Liveness, ProbeResult.Failure)]
    [InlineData(-1, ProbeKind.Liveness, ProbeResult.Failure)]
    public void A_result_for_another_run_is_ignored(int attemptOffset, ProbeKind kind, ProbeResult result)
    {
        var state = Running(probes: c => { c.ReadinessProbe = Exec(); c.LivenessProbe = Exec(); })
            .Exited("app", 0, T0.AddSeconds(1), 1).Started("app", 1, T0.AddSeconds(2));

        var after = PodLifecycle.Observe(state, Probed(kind, result, attempt: 1 + attemptOffset, at: 3));

        Assert.Same(state, after);
    }

    [Fact]
    public void A_container_without_probes_ignores_probe_results()
    {
        var state = Running();

        Assert.Same(state, PodLifecycle.Observe(state, Probed(ProbeKind.Liveness, ProbeResult.Failure)));
    }

    [Theory]
    // policy, probe grace, kind -> kill after, message
    [InlineData("Always", null, ProbeKind.Liveness, 30, "Container app failed liveness probe, will be restarted")]
    [InlineData("OnFailure", 5L, ProbeKind.Liveness, 5, "Container app failed liveness probe, will be restarted")]
    [InlineData("Never", null, ProbeKind.Liveness, 30, "Container app failed liveness probe, will not be restarted")]
    [InlineData("Always", 7L, ProbeKind.Startup, 7, "Container app failed startup probe, will be restarted")]
    public void A_liveness_or_startup_failure_stops_the_run_with_SIGTERM_then_SIGKILL_after_the_grace(
        string policy, long? grace, ProbeKind kind, int killAfter, string message)
    {
        var state = Running(policy, c => { c.LivenessProbe = Exec(grace); c.StartupProbe = kind == ProbeKind.Startup ? Exec(grace) : null; });

        state = PodLifecycle.Observe(state, Probed(kind, ProbeResult.Failure, at: 10));

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(10));
        Assert.Equal<KubeletCommand>([new StopContainer("app", 0, StopSignal.Terminate, message)], plan.Commands);
        Assert.Equal(T0.AddSeconds(10 + killAfter), plan.WakeAt);

        state = PodLifecycle.Apply(state, [new StopSent("app", 0, StopSignal.Terminate)]);
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(10 + killAfter - 1)).Commands);
        Assert.Equal<KubeletCommand>(
            [new StopContainer("app", 0, StopSignal.Kill, message)],
            PodLifecycle.Plan(state, T0.AddSeconds(10 + killAfter)).Commands);

        // A second failure signal for the same run plans no second stop.
        Assert.Same(state, PodLifecycle.Observe(state, Probed(kind, ProbeResult.Failure, at: 20)));
    }

    [Fact]
    public void The_killed_run_restarts_through_the_normal_exit_path_counted_once_with_back_off()
    {
        var state = Running(probes: c => c.LivenessProbe = Exec());

        // First kill: the exit restarts at once (no back-off yet), as any first crash does.
        state = PodLifecycle.Observe(state, Probed(ProbeKind.Liveness, ProbeResult.Failure, at: 10));
        state = PodLifecycle.Apply(state, [new StopSent("app", 0, StopSignal.Terminate)]);
        state = state.Exited("app", 0, T0.AddSeconds(11), 143);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 1)], PodLifecycle.Plan(state, T0.AddSeconds(11)).Commands);
        state = state.Started("app", 1, T0.AddSeconds(11));
        Assert.Null(state.Find("app")!.ProbeKill);

        // Second kill: the restart waits out the back-off, in CrashLoopBackOff.
        state = PodLifecycle.Observe(state, Probed(ProbeKind.Liveness, ProbeResult.Failure, attempt: 1, at: 20));
        state = PodLifecycle.Apply(state, [new StopSent("app", 1, StopSignal.Terminate)]);
        state = state.Exited("app", 1, T0.AddSeconds(21), 143);
        var plan = PodLifecycle.Plan(state, T0.AddSeconds(21));
        Assert.Empty(plan.Commands);
        Assert.Equal(T0.AddSeconds(22), plan.WakeAt);
        state = PodLifecycle.Apply(state, PodLifecycle.BackoffsFound(state, plan.Commands));

        var status = Status(state, c => c.LivenessProbe = Exec()).ContainerStatuses.Single();
        Assert.Equal(1, status.RestartCount);
        Assert.Equal("CrashLoopBackOff", status.State.Waiting.Reason);
        Assert.Equal((143, "Error"), (status.LastState.Terminated.ExitCode, status.LastState.Terminated.Reason));
    }

    [Fact]
    public void Under_Never_a_liveness_kill_ends_the_pod_Failed()
    {
        var state = Running("Never", c => c.LivenessProbe = Exec());
        state = PodLifecycle.Observe(state, Probed(ProbeKind.Liveness, ProbeResult.Failure, at: 10));
        state = state.Exited("app", 0, T0.AddSeconds(11), 137);

        Assert.True(state.Terminal);
        Assert.Equal("Failed", Status(state, c => c.LivenessProbe = Exec()).Phase);
    }

    [Fact]
    public void A_pod_being_deleted_is_not_killed_by_its_liveness_probe()
    {
        var state = Running(probes: c => c.LivenessProbe = Exec());
        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(60), ObjectGone: false));

        Assert.Same(state, PodLifecycle.Observe(state, Probed(ProbeKind.Liveness, ProbeResult.Failure, at: 10)));
    }

    [Fact]
    public void Sidecars_count_toward_readiness_and_init_containers_that_completed_are_ready()
    {
        var pod = TestPods.Pod(inits: ["setup"], sidecars: ["proxy"]);
        pod.Spec.InitContainers[1].ReadinessProbe = Exec();
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed()
            .Started("setup", 0, T0).Exited("setup", 0, T0, 0)
            .Started("proxy", 0, T0).Started("app", 0, T0);

        var status = PodStatusBuilder.Build(pod, state, "process", T0);
        Assert.True(status.InitContainerStatuses.Single(s => s.Name == "setup").Ready);
        Assert.False(status.InitContainerStatuses.Single(s => s.Name == "proxy").Ready);
        Assert.Equal("containers with unready status: [proxy]", status.Conditions.Single(c => c.Type == "ContainersReady").Message);

        state = PodLifecycle.Observe(state, Probed(ProbeKind.Readiness, ProbeResult.Success, name: "proxy"));
        status = PodStatusBuilder.Build(pod, state, "process", T0);
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public void A_restarted_workflow_keeps_what_the_status_says_of_a_running_containers_probes()
    {
        void Probes(V1Container c) { c.ReadinessProbe = Exec(); c.StartupProbe = Exec(); }
        var pod = TestPods.Pod();
        Probes(pod.Spec.Containers[0]);
        var state = Running(probes: Probes);
        state = PodLifecycle.Observe(state, Probed(ProbeKind.Startup, ProbeResult.Success));
        state = PodLifecycle.Observe(state, Probed(ProbeKind.Readiness, ProbeResult.Success));
        pod.Spec.NodeName = "node-1";
        pod.Status = PodStatusBuilder.Build(pod, state, "process", T0);

        var recovered = PodLifecycle.Initialize(pod, TestPods.Scaled).Find("app")!;

        Assert.Equal((true, true), (recovered.IsStarted, recovered.IsReady));
    }
}
