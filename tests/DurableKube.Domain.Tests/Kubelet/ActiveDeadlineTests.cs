using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>The kubelet's active deadline (pkg/kubelet/active_deadline.go): a pod active longer than its activeDeadlineSeconds fails.</summary>
public class ActiveDeadlineTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    private static V1Pod Pod(long? deadline, string restartPolicy = "Never")
    {
        var pod = TestPods.Pod(restartPolicy);
        pod.Spec.ActiveDeadlineSeconds = deadline;
        return pod;
    }

    private static PodLifecycleState Running(long? deadline, string restartPolicy = "Never") =>
        PodLifecycle.Apply(
            PodLifecycle.Initialize(Pod(deadline, restartPolicy), TestPods.Scaled),
            [new PodBound("node-1", T0), new SandboxCreated(new SandboxAddresses("127.0.0.1", "127.0.0.1")), new ContainerStarted("app", new ContainerRun(0, T0))]);

    [Theory]
    [InlineData(null, 3600, null)]
    [InlineData(10L, 0, 10)]
    [InlineData(10L, 9, 10)]
    [InlineData(100L, 50, 100)]
    public void Before_its_deadline_a_running_pod_waits_for_it(long? deadline, int secondsIn, int? wakeAfter)
    {
        var plan = PodLifecycle.Plan(Running(deadline), T0.AddSeconds(secondsIn));

        Assert.Empty(plan.Commands);
        Assert.Equal(wakeAfter is { } w ? T0.AddSeconds(w) : null, plan.WakeAt);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(10, 11)]
    [InlineData(1, 500)]
    public void At_its_deadline_the_pod_fails_and_its_running_containers_get_SIGTERM(long deadline, int secondsIn)
    {
        var now = T0.AddSeconds(secondsIn);
        var plan = PodLifecycle.Plan(Running(deadline), now);

        Assert.Equal<KubeletCommand>([new EnforceDeadline(now), new StopContainer("app", 0, StopSignal.Terminate)], plan.Commands);
    }

    [Fact]
    public void After_the_grace_period_what_still_runs_gets_SIGKILL_and_nothing_restarts()
    {
        var now = T0.AddSeconds(10);
        var state = PodLifecycle.Apply(Running(10, "OnFailure"), [new DeadlineEnforced(now), new StopSent("app", 0, StopSignal.Terminate)]);

        Assert.True(state.Terminal);
        Assert.True(state.DeadlineExceeded);
        var waiting = PodLifecycle.Plan(state, now.AddSeconds(1));
        Assert.Empty(waiting.Commands);
        Assert.Equal(now.AddSeconds(30), waiting.WakeAt);
        Assert.Equal<KubeletCommand>([new StopContainer("app", 0, StopSignal.Kill)], PodLifecycle.Plan(state, now.AddSeconds(30)).Commands);

        // A non-zero exit under OnFailure would restart; past the deadline nothing does.
        state = state.Exited("app", 0, now.AddSeconds(30), 137);
        Assert.Null(state.Find("app")!.RestartAt);
        Assert.Empty(PodLifecycle.Plan(state, now.AddSeconds(60)).Commands);
    }

    [Fact]
    public void A_pod_not_yet_started_has_no_deadline_running()
    {
        var state = PodLifecycle.Initialize(Pod(1), TestPods.Scaled);

        var plan = PodLifecycle.Plan(state, T0.AddHours(1));

        Assert.DoesNotContain(plan.Commands, c => c is EnforceDeadline);
    }

    [Fact]
    public void A_container_in_back_off_does_not_restart_once_the_deadline_has_passed()
    {
        var state = Running(10, "OnFailure").Exited("app", 0, T0.AddSeconds(8), 1);
        Assert.NotNull(state.Find("app")!.RestartAt);

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(10));
        Assert.Equal<KubeletCommand>([new EnforceDeadline(T0.AddSeconds(10))], plan.Commands);

        state = PodLifecycle.Apply(state, [new DeadlineEnforced(T0.AddSeconds(10))]);
        Assert.Null(state.Find("app")!.RestartAt);
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(60)).Commands);
    }

    [Theory]
    [InlineData(100L, 20L, 20)]
    [InlineData(100L, 100L, 100)]
    [InlineData(null, 5L, 5)]
    public void An_update_that_sets_or_lowers_the_deadline_moves_the_wake_up(long? before, long after, int wakeAfter)
    {
        var state = PodLifecycle.Observe(Running(before), new ActiveDeadlineChanged(after));

        Assert.Equal(T0.AddSeconds(wakeAfter), PodLifecycle.Plan(state, T0.AddSeconds(1)).WakeAt);
    }

    [Fact]
    public void The_status_is_Failed_with_DeadlineExceeded_as_soon_as_the_deadline_is_enforced()
    {
        var pod = Pod(10);
        var state = PodLifecycle.Apply(Running(10), [new DeadlineEnforced(T0.AddSeconds(10))]);

        var status = PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(10));

        Assert.Equal(("Failed", "DeadlineExceeded", "Pod was active on the node longer than the specified deadline"), (status.Phase, status.Reason, status.Message));
        Assert.Equal(KubeTime.Truncate(T0), status.StartTime);
        Assert.NotNull(status.ContainerStatuses.Single().State.Running);
    }

    [Fact]
    public void A_restarted_kubelet_keeps_the_deadline_and_the_start_time_from_the_status()
    {
        var pod = Pod(10);
        pod.Status = new V1PodStatus { Phase = "Running", StartTime = KubeTime.Truncate(T0) };

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.Equal((TimeSpan.FromSeconds(10), T0), (state.ActiveDeadline!.Value, state.StartTime!.Value));
    }

    [Fact]
    public void A_pod_that_failed_past_its_deadline_stays_failed_with_its_reason()
    {
        var pod = Pod(10);
        pod.Status = new V1PodStatus { Phase = "Failed", Reason = "DeadlineExceeded", Message = PodLifecycle.DeadlineExceededMessage, StartTime = KubeTime.Truncate(T0) };

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);
        var status = PodStatusBuilder.Build(pod, state, "process", T0.AddMinutes(5));

        Assert.True(state.Terminal);
        Assert.Equal(("Failed", "DeadlineExceeded"), (status.Phase, status.Reason));
    }
}
