using DurableKube.Domain.Kubelet;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>A container waiting for a ConfigMap or Secret is tried again until it appears, and sooner when told it did.</summary>
public sealed class ConfigWaitTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;
    private static readonly ContainerCreateError Missing = ContainerCreateError.Missing("configmap \"app\" not found");

    [Fact]
    public void A_container_missing_its_configmap_is_started_again_when_its_retry_is_due()
    {
        var state = PodLifecycle.Apply(TestPods.State(apps: ["a"]).Placed(), [new ContainerNotCreated("a", Missing, T0.AddSeconds(10))]);

        var early = PodLifecycle.Plan(state, T0.AddSeconds(1));
        var due = PodLifecycle.Plan(state, T0.AddSeconds(10));

        Assert.Empty(early.Commands);
        Assert.Equal(T0.AddSeconds(10), early.WakeAt);
        Assert.Equal<KubeletCommand>([new StartContainer("a", 0)], due.Commands);
    }

    [Fact]
    public void The_same_error_again_moves_the_retry_without_a_status_write()
    {
        var state = PodLifecycle.Apply(TestPods.State(apps: ["a"]).Placed(), [new ContainerNotCreated("a", Missing, T0.AddSeconds(10))]);

        var again = PodLifecycle.Apply(state, [new ContainerNotCreated("a", Missing, T0.AddSeconds(20))]);

        Assert.Equal(state.Revision, again.Revision);
        Assert.Equal(T0.AddSeconds(20), again.Find("a")!.CreateRetryAt);
    }

    [Fact]
    public void A_configuration_error_that_no_object_can_cure_is_not_retried()
    {
        var state = PodLifecycle.Apply(TestPods.State(apps: ["a"]).Placed(), [new ContainerNotCreated("a", ContainerCreateError.Config("no command"))]);

        var plan = PodLifecycle.Plan(state, T0.AddHours(1));

        Assert.Empty(plan.Commands);
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void An_init_container_waiting_for_a_secret_holds_the_app_containers_and_is_retried()
    {
        var state = PodLifecycle.Apply(TestPods.State(inits: ["i"], apps: ["a"]).Placed(), [new ContainerNotCreated("i", Missing, T0.AddSeconds(10))]);

        Assert.Equal<KubeletCommand>([new StartContainer("i", 0)], PodLifecycle.Plan(state, T0.AddSeconds(10)).Commands);
        Assert.Equal(T0.AddSeconds(10), PodLifecycle.Plan(state, T0).WakeAt);
    }

    [Fact]
    public void The_object_appearing_makes_the_retry_due_now()
    {
        var state = PodLifecycle.Apply(TestPods.State(apps: ["a"]).Placed(), [new ContainerNotCreated("a", Missing, T0.AddSeconds(10))]);

        state = PodLifecycle.Observe(state, new ConfigSourceChanged("ConfigMap", "app", T0.AddSeconds(2)));

        Assert.Equal<KubeletCommand>([new StartContainer("a", 0)], PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);
    }

    [Fact]
    public void A_start_that_succeeds_clears_the_wait()
    {
        var state = PodLifecycle.Apply(TestPods.State(apps: ["a"]).Placed(), [new ContainerNotCreated("a", Missing, T0.AddSeconds(10))]);

        state = PodLifecycle.Apply(state, [new ContainerStarted("a", new ContainerRun(0, T0.AddSeconds(10)))]);

        Assert.Null(state.Find("a")!.CreateError);
        Assert.Null(state.Find("a")!.CreateRetryAt);
    }

    [Fact]
    public void A_sandbox_held_by_FailedMount_is_tried_again_when_the_object_appears_and_keeps_its_scope()
    {
        var wait = new SandboxWait(PodLifecycle.FailedMountReason, "MountVolume.SetUp failed for volume \"v\" : configmap \"app\" not found", [], T0.AddSeconds(10));
        var state = PodLifecycle.Apply(TestPods.State(apps: ["a"]) with { NodeName = "node-1" }, [new SandboxPending(wait, PodScoped: false)]);
        Assert.False(state.PodScoped);
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);

        state = PodLifecycle.Observe(state, new ConfigSourceChanged("ConfigMap", "app", T0.AddSeconds(1)));

        Assert.Equal<KubeletCommand>([new CreateSandbox(), new StartContainer("a", 0)], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);
    }

    [Fact]
    public void A_sandbox_a_pod_scoped_runtime_is_still_creating_is_not_hurried_by_a_configmap()
    {
        var wait = new SandboxWait(null, null, [new ContainerWait("a", "ContainerCreating", null)], T0.AddSeconds(5));
        var state = PodLifecycle.Apply(TestPods.State(apps: ["a"]) with { NodeName = "node-1" }, [new SandboxPending(wait)]);

        state = PodLifecycle.Observe(state, new ConfigSourceChanged("ConfigMap", "app", T0.AddSeconds(1)));

        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);
    }
}
