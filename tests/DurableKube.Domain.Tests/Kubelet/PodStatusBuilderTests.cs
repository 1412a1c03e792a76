using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

public class PodStatusBuilderTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    [Theory]
    // stored phase, stored restarts, next phase, next restarts, goes back
    [InlineData("Succeeded", 2, "Running", 2, true)]
    [InlineData("Failed", 0, "Pending", 0, true)]
    [InlineData("Succeeded", 2, "Succeeded", 2, false)]
    [InlineData("Running", 3, "Running", 1, true)]
    [InlineData("Running", 1, "Running", 2, false)]
    [InlineData("Running", 1, "Succeeded", 1, false)]
    [InlineData("Pending", 0, "Running", 0, false)]
    [InlineData("Running", 0, "Pending", 0, true)] // a sync replayed after a crash, from before the containers started
    public void A_status_that_leaves_a_terminal_phase_returns_to_Pending_or_lowers_a_restart_count_goes_back(string storedPhase, int storedRestarts, string nextPhase, int nextRestarts, bool goesBack)
    {
        static V1PodStatus Status(string phase, int restarts) => new()
        {
            Phase = phase,
            ContainerStatuses = [new V1ContainerStatus { Name = "app", RestartCount = restarts }],
        };

        Assert.Equal(goesBack, PodStatusBuilder.GoesBack(Status(storedPhase, storedRestarts), Status(nextPhase, nextRestarts)));
        Assert.False(PodStatusBuilder.GoesBack(null, Status(nextPhase, nextRestarts)));
    }

    [Fact]
    public void A_pod_not_yet_scheduled_is_Pending_with_no_container_statuses()
    {
        var pod = TestPods.Pod();
        var status = PodStatusBuilder.Build(pod, PodLifecycle.Initialize(pod, TestPods.Scaled), "process", T0);

        // No kubelet has seen it: kubectl shows it Pending, not ContainerCreating.
        Assert.Equal("Pending", status.Phase);
        Assert.Null(status.ContainerStatuses);
        Assert.Null(status.StartTime);
        Assert.Empty(status.Conditions);
    }

    [Fact]
    public void An_unschedulable_pod_says_why_in_PodScheduled()
    {
        var pod = TestPods.Pod();
        var state = PodLifecycle.Apply(PodLifecycle.Initialize(pod, TestPods.Scaled), [new PodUnschedulable("0/1 nodes are available: 1 node(s) were unschedulable.", T0)]);

        var condition = PodStatusBuilder.Build(pod, state, "process", T0).Conditions.Single();

        Assert.Equal(("PodScheduled", "False", "Unschedulable"), (condition.Type, condition.Status, condition.Reason));
        Assert.Equal("0/1 nodes are available: 1 node(s) were unschedulable.", condition.Message);
    }

    [Fact]
    public void A_running_pod_is_Running_and_Ready_with_ids_and_addresses()
    {
        var pod = TestPods.Pod();
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("app", 0, T0);

        var status = PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(1));

        Assert.Equal("Running", status.Phase);
        var container = status.ContainerStatuses.Single();
        Assert.True(container.Ready);
        Assert.True(container.Started);
        Assert.Equal("process://uid-1/app/0", container.ContainerID);
        Assert.Equal(T0.UtcDateTime, container.State.Running.StartedAt);
        Assert.Equal("127.0.0.1", status.PodIP);
        Assert.Equal("127.0.0.1", status.HostIP);
        Assert.Equal(T0.AddSeconds(1).UtcDateTime, status.StartTime);
        Assert.All(
            ["PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "PodScheduled"],
            type => Assert.Equal("True", status.Conditions.Single(c => c.Type == type).Status));
    }

    [Fact]
    public void A_crash_looping_container_waits_in_CrashLoopBackOff_with_its_last_termination()
    {
        var pod = TestPods.Pod();
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed()
            .Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 1)
            .Started("app", 1, T0.AddSeconds(1)).Exited("app", 1, T0.AddSeconds(2), 2);
        Assert.Equal("Error", PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(2)).ContainerStatuses.Single().State.Terminated.Reason);
        state = PodLifecycle.Apply(state, PodLifecycle.BackoffsFound(state, []));

        var status = PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(2));
        var container = status.ContainerStatuses.Single();

        Assert.Equal("Running", status.Phase);
        Assert.Equal(1, container.RestartCount);
        Assert.Equal("CrashLoopBackOff", container.State.Waiting.Reason);
        Assert.Equal("back-off 1s restarting failed container=app pod=web_default(uid-1)", container.State.Waiting.Message);
        Assert.Equal(2, container.LastState.Terminated.ExitCode);
        Assert.Equal("Error", container.LastState.Terminated.Reason);
        Assert.Equal("process://uid-1/app/1", container.LastState.Terminated.ContainerID);
        Assert.False(container.Ready);
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [app]"), (ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public void A_restarted_container_runs_with_its_previous_run_as_last_state()
    {
        var pod = TestPods.Pod();
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed()
            .Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 0).Started("app", 1, T0.AddSeconds(1));

        var container = PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(1)).ContainerStatuses.Single();

        Assert.Equal(1, container.RestartCount);
        Assert.NotNull(container.State.Running);
        Assert.Equal("Completed", container.LastState.Terminated.Reason);
        Assert.Equal("process://uid-1/app/0", container.LastState.Terminated.ContainerID);
    }

    [Theory]
    [InlineData("Never", 0, "Succeeded", "Completed")]
    [InlineData("Never", 3, "Failed", "Error")]
    [InlineData("OnFailure", 0, "Succeeded", "Completed")]
    public void A_finished_pod_reaches_its_terminal_phase(string policy, int exitCode, string phase, string reason)
    {
        var pod = TestPods.Pod(policy);
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), exitCode);

        var status = PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(1));

        Assert.Equal(phase, status.Phase);
        var terminated = status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal((exitCode, reason), (terminated.ExitCode, terminated.Reason));
        Assert.Equal(T0.AddSeconds(1).UtcDateTime, terminated.FinishedAt);
    }

    [Fact]
    public void A_terminal_phase_is_never_left()
    {
        var pod = TestPods.Pod();
        pod.Status = new V1PodStatus { Phase = "Succeeded" };
        var state = PodLifecycle.Initialize(TestPods.Pod(), TestPods.Scaled).Placed().Started("app", 0, T0);

        Assert.Equal("Succeeded", PodStatusBuilder.Build(pod, state, "process", T0).Phase);
    }

    [Fact]
    public void While_init_containers_run_the_pod_is_initializing()
    {
        var pod = TestPods.Pod(inits: ["i1", "i2"]);
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("i1", 0, T0);

        var status = PodStatusBuilder.Build(pod, state, "process", T0);

        Assert.Equal("Pending", status.Phase);
        Assert.NotNull(status.InitContainerStatuses[0].State.Running);
        Assert.Equal("PodInitializing", status.InitContainerStatuses[1].State.Waiting.Reason);
        Assert.Equal("PodInitializing", status.ContainerStatuses[0].State.Waiting.Reason);
        var initialized = status.Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "ContainersNotInitialized", "containers with incomplete status: [i1 i2]"), (initialized.Status, initialized.Reason, initialized.Message));
    }

    [Fact]
    public void A_container_that_cannot_be_created_says_why()
    {
        var pod = TestPods.Pod();
        var state = PodLifecycle.Apply(PodLifecycle.Initialize(pod, TestPods.Scaled).Placed(), [new ContainerNotCreated("app", ContainerCreateError.Config("container has no command"))]);

        var waiting = PodStatusBuilder.Build(pod, state, "process", T0).ContainerStatuses.Single().State.Waiting;

        Assert.Equal(("CreateContainerConfigError", "container has no command"), (waiting.Reason, waiting.Message));
    }

    [Fact]
    public void Transition_times_stay_while_a_condition_keeps_its_status()
    {
        var pod = TestPods.Pod();
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("app", 0, T0);
        pod.Status = PodStatusBuilder.Build(pod, state, "process", T0);

        var later = PodStatusBuilder.Build(pod, state, "process", T0.AddMinutes(5));

        Assert.All(later.Conditions, c => Assert.Equal(T0.UtcDateTime, c.LastTransitionTime));
        Assert.Equal(T0.UtcDateTime, later.StartTime);
    }

    [Fact]
    public void Conditions_the_kubelet_does_not_own_are_kept()
    {
        var pod = TestPods.Pod();
        pod.Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "example.com/gate", Status = "True" }] };
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("app", 0, T0);

        Assert.Contains(PodStatusBuilder.Build(pod, state, "process", T0).Conditions, c => c.Type == "example.com/gate");
    }
}
