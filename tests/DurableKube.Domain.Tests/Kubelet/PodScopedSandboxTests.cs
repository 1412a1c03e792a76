using DurableKube.Domain.Kubelet;
using static DurableKube.Domain.Tests.Kubelet.TestPods;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>
/// A pod on a pod-scoped runtime (Azure Container Instances): the sandbox is created with every container and is
/// pending until they have started, a container's restart restarts them all, and nothing is stopped alone.
/// </summary>
public sealed class PodScopedSandboxTests
{
    private static readonly SandboxAddresses Addresses = new("10.0.0.4", "10.0.0.4");

    private static PodLifecycleState Bound(string restartPolicy = "Always", string[]? apps = null, string[]? inits = null) =>
        PodLifecycle.Apply(State(restartPolicy, apps, inits), [new PodBound("aci-1", T0)]);

    private static PodLifecycleState Ready(PodLifecycleState state) =>
        PodLifecycle.Apply(state, [new SandboxCreated(Addresses, PodScoped: true)]);

    [Fact]
    public void A_pending_sandbox_is_asked_again_when_its_wait_is_over_and_nothing_starts_before()
    {
        var state = PodLifecycle.Apply(Bound(), [new SandboxPending(new SandboxWait(null, null, [new ContainerWait("app", "ContainerCreating", null)], T0.AddSeconds(5)))]);

        var waiting = PodLifecycle.Plan(state, T0.AddSeconds(1));
        Assert.Empty(waiting.Commands);
        Assert.Equal(T0.AddSeconds(5), waiting.WakeAt);

        var due = PodLifecycle.Plan(state, T0.AddSeconds(5));
        Assert.IsType<CreateSandbox>(Assert.Single(due.Commands.Take(1)));
    }

    [Fact]
    public void A_pending_sandbox_shows_its_containers_waiting_reasons_and_why_it_could_not_be_created()
    {
        var pod = Pod();
        pod.Spec.NodeName = "aci-1";
        var state = PodLifecycle.Apply(Bound(), [new SandboxPending(new SandboxWait(
            "ContainerGroupQuotaReached", "quota of 100 container groups reached in westeurope", [new ContainerWait("app", "ErrImagePull", "Failed to pull image")], T0.AddSeconds(30)))]);

        var status = PodStatusBuilder.Build(pod, state, "aci", T0);

        Assert.Equal("Pending", status.Phase);
        var waiting = Assert.Single(status.ContainerStatuses).State.Waiting;
        Assert.Equal(("ErrImagePull", "Failed to pull image"), (waiting.Reason, waiting.Message));
        var sandbox = Assert.Single(status.Conditions, c => c.Type == "PodReadyToStartContainers");
        Assert.Equal(("False", "ContainerGroupQuotaReached"), (sandbox.Status, sandbox.Reason));
        Assert.Contains("quota", sandbox.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ready_sandbox_is_pod_scoped_and_its_containers_runs_are_taken_on_as_they_started()
    {
        var state = Ready(Bound(inits: ["init"]));
        Assert.True(state.PodScoped);
        Assert.Equal([new StartContainer("init", 0)], PodLifecycle.Plan(state, T0).Commands);

        state = PodLifecycle.Apply(state, [new ContainerStarted("init", new ContainerRun(0, T0, T0.AddSeconds(1), 0))]);
        Assert.Equal([new StartContainer("app", 0)], PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);
    }

    [Fact]
    public void A_crash_restarts_the_whole_sandbox_once_then_with_the_back_off_and_never_one_container()
    {
        var state = Ready(Bound(apps: ["app", "side"])).Started("app", 0, T0).Started("side", 0, T0);
        state = state.Exited("app", 0, T0.AddSeconds(2), 1);

        // The first restart is immediate, as the kubelet's; it is the sandbox's, as one container cannot restart alone.
        Assert.Equal([new RestartSandbox(1)], PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);

        state = Ready(PodLifecycle.Apply(state, [new SandboxRestarted(1, T0.AddSeconds(2))]))
            .Started("app", 1, T0.AddSeconds(3)).Started("side", 1, T0.AddSeconds(3))
            .Exited("app", 1, T0.AddSeconds(4), 1);

        var backingOff = PodLifecycle.Plan(state, T0.AddSeconds(4));
        Assert.Empty(backingOff.Commands);
        Assert.Equal(T0.AddSeconds(5), backingOff.WakeAt);
        Assert.Equal([new RestartSandbox(2)], PodLifecycle.Plan(state, T0.AddSeconds(5)).Commands);
    }

    [Fact]
    public void After_a_sandbox_restart_every_container_waits_for_the_sandbox_then_takes_its_new_run()
    {
        var state = Ready(Bound(apps: ["app", "side"])).Started("app", 0, T0).Started("side", 0, T0);
        state = state.Exited("app", 0, T0.AddSeconds(2), 1);
        var restartAt = T0.AddSeconds(10);
        state = PodLifecycle.Apply(state, [new SandboxRestarted(1, restartAt)]);

        Assert.Null(state.Sandbox);
        Assert.Equal(1, state.SandboxGeneration);
        var side = state.Find("side")!;
        Assert.Equal((true, 137), (side.Run!.Exited, side.Run.ExitCode));
        Assert.Equal(PodLifecycle.SandboxRestartMessage, side.Run.Message);

        // The sandbox is asked for until it is ready again; then each container takes on the run the restart gave it.
        Assert.Equal([new CreateSandbox()], PodLifecycle.Plan(state, restartAt).Commands.Take(1));
        state = Ready(state);
        Assert.Equal([new StartContainer("app", 1), new StartContainer("side", 1)], PodLifecycle.Plan(state, restartAt).Commands);

        state = state.Started("app", 1, restartAt.AddSeconds(3)).Started("side", 1, restartAt.AddSeconds(3));
        Assert.Equal((1, 1), (state.Find("app")!.RestartCount, state.Find("side")!.RestartCount));
        Assert.Empty(PodLifecycle.Plan(state, restartAt.AddSeconds(4)).Commands);
    }

    [Fact]
    public void A_restart_asked_twice_changes_nothing_the_second_time()
    {
        var state = Ready(Bound()).Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 1);
        var once = PodLifecycle.Apply(state, [new SandboxRestarted(1, T0.AddSeconds(5))]);
        var twice = PodLifecycle.Apply(once, [new SandboxRestarted(1, T0.AddSeconds(6))]);
        Assert.Same(once, twice);
    }

    [Fact]
    public void While_the_sandbox_restarts_the_status_shows_the_containers_creating_with_their_last_runs()
    {
        var pod = Pod();
        pod.Spec.NodeName = "aci-1";
        var state = Ready(Bound()).Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 1);
        state = PodLifecycle.Apply(state, [new SandboxRestarted(1, T0.AddSeconds(5))]);

        var status = Assert.Single(PodStatusBuilder.Build(pod, state, "aci", T0.AddSeconds(6)).ContainerStatuses);

        Assert.Equal("ContainerCreating", status.State.Waiting.Reason);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
    }

    [Fact]
    public void A_deleted_pod_scoped_pod_removes_its_sandbox_at_once_and_its_running_containers_end_with_it()
    {
        var state = Ready(Bound()).Started("app", 0, T0);
        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(30), ObjectGone: false));

        Assert.Equal([new RemoveSandbox()], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);

        state = PodLifecycle.Apply(state, [new SandboxRemoved()]);
        var app = state.Find("app")!;
        Assert.Equal((true, 137, PodLifecycle.SandboxRemovedMessage), (app.Run!.Exited, app.Run.ExitCode, app.Run.Message));
        Assert.Equal([new RemovePod()], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);
    }

    private const string GoneMessage = "The container group dk-default-web-0123456789 of pod uid-1 is gone (deleted outside DurableKube?).";

    [Theory]
    [InlineData("Always")]
    [InlineData("OnFailure")]
    public void A_sandbox_lost_at_a_restart_is_made_again_at_once_and_the_restart_is_counted(string restartPolicy)
    {
        // app crashed and is due to restart; side still "runs" in a group someone deleted in the portal.
        var state = Ready(Bound(restartPolicy, apps: ["app", "side"])).Started("app", 0, T0).Started("side", 0, T0)
            .Exited("app", 0, T0.AddSeconds(2), 1);
        Assert.Equal([new RestartSandbox(1)], PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);

        var lost = PodLifecycle.Apply(state, [new SandboxLost(1, T0.AddSeconds(3), GoneMessage)]);

        Assert.Null(lost.Sandbox);
        Assert.Equal(1, lost.SandboxGeneration);
        var side = lost.Find("side")!.Run!;
        Assert.Equal((137, PodLifecycle.ContainerStatusUnknownReason, GoneMessage), (side.ExitCode, side.Reason, side.Message));
        Assert.Equal(1, lost.Find("app")!.Run!.ExitCode);

        // A new sandbox now, not after a wait; then every container takes the run of generation 1: one restart each.
        Assert.Equal([new CreateSandbox()], PodLifecycle.Plan(lost, T0.AddSeconds(3)).Commands.Take(1));
        var remade = Ready(lost);
        Assert.Equal([new StartContainer("app", 1), new StartContainer("side", 1)], PodLifecycle.Plan(remade, T0.AddSeconds(4)).Commands);
        remade = remade.Started("app", 1, T0.AddSeconds(4)).Started("side", 1, T0.AddSeconds(4));
        Assert.Equal((1, 1), (remade.Find("app")!.RestartCount, remade.Find("side")!.RestartCount));

        var pod = Pod(restartPolicy, apps: ["app", "side"]);
        pod.Spec.NodeName = "aci-1";
        var status = PodStatusBuilder.Build(pod, remade, "aci", T0.AddSeconds(5));
        Assert.Equal("Running", status.Phase);
        var sideStatus = status.ContainerStatuses.Single(c => c.Name == "side");
        Assert.Equal((PodLifecycle.ContainerStatusUnknownReason, 137, GoneMessage), (sideStatus.LastState.Terminated.Reason, sideStatus.LastState.Terminated.ExitCode, sideStatus.LastState.Terminated.Message));
    }

    [Fact]
    public void A_sandbox_lost_before_its_run_was_taken_on_is_made_again_with_the_same_generation()
    {
        var state = Ready(Bound());
        var lost = PodLifecycle.Apply(state, [new SandboxLost(0, T0.AddSeconds(1), GoneMessage)]);

        Assert.Equal((null, 0), (lost.Sandbox, lost.SandboxGeneration));
        Assert.Equal([new CreateSandbox()], PodLifecycle.Plan(lost, T0.AddSeconds(1)).Commands.Take(1));
        Assert.Same(lost, PodLifecycle.Apply(lost, [new SandboxLost(0, T0.AddSeconds(2), GoneMessage)]));
    }

    [Fact]
    public void A_sandbox_lost_with_restartPolicy_Never_is_not_made_again_its_containers_end_unknown_and_the_pod_fails()
    {
        // The node agent's exit may not have come yet: the loss is found by the runtime first.
        var state = Ready(Bound("Never", apps: ["app", "side"])).Started("app", 0, T0);
        var lost = PodLifecycle.Apply(state, [new SandboxLost(0, T0.AddSeconds(3), GoneMessage)]);

        Assert.True(lost.Terminal);
        Assert.All(lost.Containers, c => Assert.Equal((true, 137, PodLifecycle.ContainerStatusUnknownReason), (c.Run!.Exited, c.Run.ExitCode, c.Run.Reason)));
        Assert.Empty(PodLifecycle.Plan(lost, T0.AddSeconds(4)).Commands);

        var pod = Pod("Never", apps: ["app", "side"]);
        pod.Spec.NodeName = "aci-1";
        var status = PodStatusBuilder.Build(pod, lost, "aci", T0.AddSeconds(4));
        Assert.Equal("Failed", status.Phase);
        Assert.All(status.ContainerStatuses, c => Assert.Equal((PodLifecycle.ContainerStatusUnknownReason, 137), (c.State.Terminated.Reason, c.State.Terminated.ExitCode)));
    }

    [Fact]
    public void With_restartPolicy_Never_the_exit_the_node_agent_reports_for_a_deleted_group_fails_the_pod_and_asks_nothing_of_the_runtime()
    {
        var state = Ready(Bound("Never")).Started("app", 0, T0);
        state = PodLifecycle.Observe(state, new ContainerExited("app", 0, T0.AddSeconds(5), 137, PodLifecycle.ContainerStatusUnknownReason, GoneMessage));

        Assert.True(state.Terminal);
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(6)).Commands);
        var pod = Pod("Never");
        pod.Spec.NodeName = "aci-1";
        Assert.Equal("Failed", PodStatusBuilder.Build(pod, state, "aci", T0.AddSeconds(6)).Phase);
    }

    [Fact]
    public void A_container_scoped_pod_restarts_only_the_container_that_crashed()
    {
        var state = State(apps: ["app", "side"]).Placed().Started("app", 0, T0).Started("side", 0, T0);
        state = state.Exited("app", 0, T0.AddSeconds(1), 1);

        Assert.Equal([new StartContainer("app", 1)], PodLifecycle.Plan(state, T0.AddSeconds(10)).Commands);
    }
}
