using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>The kubelet's part of ephemeral containers: started once into a running pod, never restarted, no part of its phase or readiness.</summary>
public class EphemeralContainerTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    [Fact]
    public void An_ephemeral_container_added_to_a_running_pod_is_started_once()
    {
        var state = Running().Added("debugger");

        Assert.Equal<KubeletCommand>([new StartContainer("debugger", 0)], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);
        Assert.True(PodLifecycle.Plan(state, T0.AddSeconds(1)).WriteStatus);

        state = state.Started("debugger", 0, T0.AddSeconds(1));
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);
    }

    [Theory]
    [InlineData("Always", 0)]
    [InlineData("Always", 1)]
    [InlineData("OnFailure", 1)]
    public void An_ephemeral_container_that_exits_is_never_restarted_and_the_pod_runs_on(string policy, int exitCode)
    {
        var state = Running(policy).Added("debugger").Started("debugger", 0, T0.AddSeconds(1)).Exited("debugger", 0, T0.AddSeconds(2), exitCode);

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(60));

        Assert.Empty(plan.Commands);
        Assert.Null(plan.WakeAt);
        Assert.False(state.Terminal);
        Assert.Null(state.Find("debugger")!.RestartAt);
    }

    [Fact]
    public void A_signal_naming_containers_the_kubelet_has_changes_nothing()
    {
        var state = Running().Added("debugger");

        Assert.Same(state, PodLifecycle.Observe(state, new EphemeralContainersAdded(["debugger"])));
        Assert.Equal(["app", "debugger", "second"], PodLifecycle.Observe(state, new EphemeralContainersAdded(["debugger", "second"])).Containers.Select(c => c.Name));
    }

    [Fact]
    public void An_ephemeral_container_may_start_while_init_containers_still_run()
    {
        var state = TestPods.State(inits: ["init"]).Placed().Started("init", 0, T0).Added("debugger");

        Assert.Equal<KubeletCommand>([new StartContainer("debugger", 0)], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);
    }

    [Fact]
    public void A_finished_pod_starts_no_ephemeral_container()
    {
        var state = TestPods.State("Never").Placed().Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 0).Added("debugger");

        Assert.True(state.Terminal);
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);
    }

    [Fact]
    public void A_running_ephemeral_container_keeps_the_pod_from_finishing_no_more_than_a_sidecar_does_and_is_stopped_with_it()
    {
        var state = TestPods.State("Never").Placed().Started("app", 0, T0).Added("debugger").Started("debugger", 0, T0.AddSeconds(1));

        state = state.Exited("app", 0, T0.AddSeconds(2), 0);

        Assert.True(state.Terminal);
        Assert.Equal<KubeletCommand>([new StopContainer("debugger", 0, StopSignal.Terminate)], PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);
    }

    [Fact]
    public void The_status_reports_ephemeral_containers_apart_never_ready_and_leaves_the_pod_ready()
    {
        var pod = WithEphemeral(TestPods.Pod(), "debugger");
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("app", 0, T0).Started("debugger", 0, T0.AddSeconds(1));

        var status = PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(1));

        var debugger = Assert.Single(status.EphemeralContainerStatuses);
        Assert.Equal("debugger", debugger.Name);
        Assert.NotNull(debugger.State.Running);
        Assert.False(debugger.Ready);
        Assert.Null(debugger.Started);
        Assert.Equal("process://uid-1/debugger/0", debugger.ContainerID);
        Assert.Equal(["app"], status.ContainerStatuses.Select(s => s.Name));
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void An_exited_ephemeral_container_shows_terminated_and_the_pod_stays_Running()
    {
        var pod = WithEphemeral(TestPods.Pod(), "debugger");
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("app", 0, T0)
            .Started("debugger", 0, T0.AddSeconds(1)).Exited("debugger", 0, T0.AddSeconds(2), 3);

        var status = PodStatusBuilder.Build(pod, state, "process", T0.AddSeconds(3));

        Assert.Equal(3, status.EphemeralContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal(0, status.EphemeralContainerStatuses.Single().RestartCount);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void A_kubelet_started_again_recovers_its_ephemeral_containers_from_the_status_and_does_not_start_them_twice()
    {
        var pod = WithEphemeral(TestPods.Pod(), "debugger");
        var before = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("app", 0, T0).Started("debugger", 0, T0.AddSeconds(1));
        pod.Spec.NodeName = "node-1";
        pod.Status = PodStatusBuilder.Build(pod, before, "process", T0.AddSeconds(1));

        var recovered = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.True(recovered.Find("debugger")!.IsRunning);
        Assert.Equal(ContainerRole.Ephemeral, recovered.Find("debugger")!.Role);
        recovered = PodLifecycle.Apply(recovered, [new Relisted()]);
        Assert.Empty(PodLifecycle.Plan(recovered, T0.AddSeconds(2)).Commands);
    }

    [Fact]
    public void Ephemeral_containers_run_as_the_containers_they_describe()
    {
        var ephemeral = new V1EphemeralContainer
        {
            Name = "debugger",
            Image = "busybox",
            Command = ["sh"],
            Args = ["-c", "echo hi"],
            Env = [new V1EnvVar { Name = "A", Value = "1" }],
            WorkingDir = "/work",
            Stdin = true,
            Tty = true,
            TargetContainerName = "app",
        };
        var spec = new V1PodSpec { Containers = [new V1Container { Name = "app" }], EphemeralContainers = [ephemeral] };

        var container = EphemeralContainers.FindContainer(spec, "debugger")!;

        Assert.Equal(("debugger", "busybox", "/work", true, true), (container.Name, container.Image, container.WorkingDir, container.Stdin, container.Tty));
        Assert.Equal(["sh"], container.Command);
        Assert.Equal(["-c", "echo hi"], container.Args);
        Assert.Equal("A", container.Env.Single().Name);
        Assert.Equal("app", EphemeralContainers.FindContainer(spec, "app")!.Name);
        Assert.Null(EphemeralContainers.FindContainer(spec, "missing"));
    }

    private static PodLifecycleState Running(string policy = "Always") => TestPods.State(policy).Placed().Started("app", 0, T0);

    private static V1Pod WithEphemeral(V1Pod pod, string name)
    {
        pod.Spec.EphemeralContainers = [new V1EphemeralContainer { Name = name, Image = "busybox", Command = ["sh"] }];
        return pod;
    }
}

/// <summary>Adds ephemeral containers to a lifecycle state, as the signal does.</summary>
internal static class EphemeralSteps
{
    public static PodLifecycleState Added(this PodLifecycleState state, params string[] names) =>
        PodLifecycle.Observe(state, new EphemeralContainersAdded(names));
}
