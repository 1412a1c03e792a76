using DurableKube.Domain.Kubelet;

namespace DurableKube.Domain.Tests.Kubelet;

public class PodLifecycleTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    [Fact]
    public void A_new_pod_binds_creates_its_sandbox_and_starts_every_app_container_in_one_plan()
    {
        var state = TestPods.State(apps: ["a", "b"]);

        var plan = PodLifecycle.Plan(state, T0);

        Assert.Equal<KubeletCommand>(
            [new BindPod(), new CreateSandbox(), new StartContainer("a", 0), new StartContainer("b", 0)],
            plan.Commands);
        Assert.False(plan.Done);
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void Init_containers_run_one_at_a_time_in_order_before_the_app_containers()
    {
        var state = TestPods.State(inits: ["i1", "i2"], apps: ["app"]);
        Assert.Equal<KubeletCommand>([new BindPod(), new CreateSandbox(), new StartContainer("i1", 0)], PodLifecycle.Plan(state, T0).Commands);

        state = state.Placed().Started("i1", 0, T0);
        Assert.Empty(PodLifecycle.Plan(state, T0).Commands);

        state = state.Exited("i1", 0, T0.AddSeconds(1), 0);
        Assert.Equal<KubeletCommand>([new StartContainer("i2", 0)], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);

        state = state.Started("i2", 0, T0.AddSeconds(1)).Exited("i2", 0, T0.AddSeconds(2), 0);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 0)], PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);
    }

    [Fact]
    public void A_failed_init_container_under_Never_fails_the_pod_and_nothing_else_starts()
    {
        var state = TestPods.State("Never", inits: ["i1"], apps: ["app"]).Placed().Started("i1", 0, T0).Exited("i1", 0, T0.AddSeconds(1), 2);

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(5));

        Assert.True(state.Terminal);
        Assert.Empty(plan.Commands);
        Assert.Null(plan.WakeAt);
        Assert.True(plan.WriteStatus);
    }

    [Theory]
    [InlineData("Always")]
    [InlineData("OnFailure")]
    public void A_failed_init_container_is_retried_with_backoff_unless_Never(string policy)
    {
        var state = TestPods.State(policy, inits: ["i1"], apps: ["app"]).Placed().Started("i1", 0, T0).Exited("i1", 0, T0.AddSeconds(1), 1);

        // First failure: immediate retry.
        Assert.Equal<KubeletCommand>([new StartContainer("i1", 1)], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);

        state = state.Started("i1", 1, T0.AddSeconds(1)).Exited("i1", 1, T0.AddSeconds(2), 1);
        var plan = PodLifecycle.Plan(state, T0.AddSeconds(2));
        Assert.Empty(plan.Commands);
        Assert.Equal(T0.AddSeconds(3), plan.WakeAt);
        Assert.False(state.Terminal);
    }

    [Theory]
    [InlineData("Always", 0, true)]
    [InlineData("Always", 1, true)]
    [InlineData("OnFailure", 0, false)]
    [InlineData("OnFailure", 1, true)]
    [InlineData("Never", 0, false)]
    [InlineData("Never", 1, false)]
    public void An_exited_app_container_follows_the_restart_policy(string policy, int exitCode, bool restarts)
    {
        var state = TestPods.State(policy).Placed().Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), exitCode);

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(1));

        Assert.Equal(restarts, plan.Commands.Contains(new StartContainer("app", 1)));
        Assert.Equal(!restarts, state.Terminal);
    }

    [Fact]
    public void A_crash_looping_container_restarts_after_0_1_2_4_4_seconds_never_before()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0);
        var now = T0;
        var expectedDelays = new[] { 0, 1, 2, 4, 4, 4 };
        for (var attempt = 0; attempt < expectedDelays.Length; attempt++)
        {
            now = now.AddMilliseconds(100);
            state = state.Exited("app", attempt, now, 1);
            var due = now.AddSeconds(expectedDelays[attempt]);

            if (expectedDelays[attempt] > 0)
            {
                // A timer that fires early (the Azure Storage provider's may, by up to a second) starts nothing.
                var early = PodLifecycle.Plan(state, due.AddMilliseconds(-900));
                Assert.Empty(early.Commands);
                Assert.Equal(due, early.WakeAt);
            }

            var plan = PodLifecycle.Plan(state, due);
            Assert.Equal<KubeletCommand>([new StartContainer("app", attempt + 1)], plan.Commands);
            now = due;
            state = state.Started("app", attempt + 1, now);
        }

        Assert.Equal(6, state.Find("app")!.RestartCount);
    }

    [Fact]
    public void A_run_of_the_reset_period_starts_the_backoff_over()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 1)
            .Started("app", 1, T0.AddSeconds(1)).Exited("app", 1, T0.AddSeconds(2), 1)
            .Started("app", 2, T0.AddSeconds(3));

        // Runs for the reset period (60 s in the scaled settings), then crashes: immediate restart.
        state = state.Exited("app", 2, T0.AddSeconds(63), 1);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 3)], PodLifecycle.Plan(state, T0.AddSeconds(63)).Commands);
        state = state.Started("app", 3, T0.AddSeconds(63));
        Assert.Equal(TimeSpan.FromSeconds(1), state.Find("app")!.Backoff);
    }

    [Fact]
    public void Repeated_and_stale_exit_signals_change_nothing()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 1).Started("app", 1, T0.AddSeconds(1));

        var again = state.Exited("app", 0, T0.AddSeconds(1), 1);
        var unknown = state.Exited("nope", 1, T0.AddSeconds(1), 1);

        Assert.Same(state, again);
        Assert.Same(state, unknown);
    }

    [Fact]
    public void A_repeated_start_outcome_is_ignored_but_may_reveal_an_exit()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0);

        Assert.Same(state, state.Started("app", 0, T0));
        var exited = PodLifecycle.Apply(state, [new ContainerStarted("app", new ContainerRun(0, T0).Exit(T0.AddSeconds(2), 3))]);
        Assert.Equal(3, exited.Find("app")!.Run!.ExitCode);
    }

    [Fact]
    public void A_command_that_cannot_start_is_a_run_that_exited_at_once_and_counts_as_a_restart()
    {
        var state = TestPods.State().Placed();
        var failed = new ContainerRun(0, T0).Exit(T0, 128, "StartError", "exec: \"nope\": executable file not found in $PATH");

        state = PodLifecycle.Apply(state, [new ContainerStarted("app", failed)]);

        var track = state.Find("app")!;
        Assert.True(track.Run!.Exited);
        Assert.Equal("StartError", track.Run.Reason);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 1)], PodLifecycle.Plan(state, T0).Commands);
    }

    [Fact]
    public void A_container_that_cannot_be_created_waits_and_holds_nothing_else_back()
    {
        var state = TestPods.State(apps: ["a", "b"]).Placed();
        state = PodLifecycle.Apply(state, [new ContainerNotCreated("a", ContainerCreateError.Config("no command")), new ContainerStarted("b", new ContainerRun(0, T0))]);

        var plan = PodLifecycle.Plan(state, T0.AddMinutes(1));

        Assert.Empty(plan.Commands);
        Assert.Equal("no command", state.Find("a")!.CreateError!.Message);
    }

    [Fact]
    public void Deletion_terminates_running_containers_then_kills_them_at_the_deadline_then_cleans_up()
    {
        var state = TestPods.State(apps: ["a", "b"]).Placed().Started("a", 0, T0).Started("b", 0, T0);
        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(30), ObjectGone: false));

        var plan = PodLifecycle.Plan(state, T0);
        Assert.Equal<KubeletCommand>([new StopContainer("a", 0, StopSignal.Terminate), new StopContainer("b", 0, StopSignal.Terminate)], plan.Commands);
        Assert.Equal(T0.AddSeconds(30), plan.WakeAt);

        state = PodLifecycle.Apply(state, [new StopSent("a", 0, StopSignal.Terminate), new StopSent("b", 0, StopSignal.Terminate)]);
        state = state.Exited("a", 0, T0.AddSeconds(1), 143);
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);

        Assert.Equal<KubeletCommand>([new StopContainer("b", 0, StopSignal.Kill)], PodLifecycle.Plan(state, T0.AddSeconds(30)).Commands);
        state = PodLifecycle.Apply(state, [new StopSent("b", 0, StopSignal.Kill)]).Exited("b", 0, T0.AddSeconds(30), 137);

        Assert.Equal<KubeletCommand>([new RemoveSandbox(), new RemovePod()], PodLifecycle.Plan(state, T0.AddSeconds(30)).Commands);
        state = PodLifecycle.Apply(state, [new SandboxRemoved(), new PodRemoved()]);
        Assert.True(PodLifecycle.Plan(state, T0.AddSeconds(30)).Done);
    }

    [Fact]
    public void Deletion_during_backoff_cancels_the_restart_and_removes_the_pod()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(1), 1)
            .Started("app", 1, T0.AddSeconds(1)).Exited("app", 1, T0.AddSeconds(2), 1);
        Assert.NotNull(state.Find("app")!.RestartAt);

        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(32), ObjectGone: false));

        Assert.Null(state.Find("app")!.RestartAt);
        Assert.Equal<KubeletCommand>([new RemoveSandbox(), new RemovePod()], PodLifecycle.Plan(state, T0.AddSeconds(3)).Commands);
    }

    [Fact]
    public void A_forced_deletion_kills_at_once_and_does_not_remove_the_object_again()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0);
        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0, ObjectGone: true));

        Assert.Equal<KubeletCommand>([new StopContainer("app", 0, StopSignal.Kill)], PodLifecycle.Plan(state, T0).Commands);
        state = state.Exited("app", 0, T0, 137);
        Assert.Equal<KubeletCommand>([new RemoveSandbox()], PodLifecycle.Plan(state, T0).Commands);
    }

    [Fact]
    public void A_second_deletion_may_only_shorten_the_grace_period()
    {
        var state = PodLifecycle.Observe(TestPods.State().Placed(), new PodDeletionRequested(T0.AddSeconds(30), false));

        Assert.Equal(T0.AddSeconds(30), PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(60), false)).Termination!.KillAt);
        Assert.Equal(T0.AddSeconds(5), PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(5), false)).Termination!.KillAt);
    }

    [Fact]
    public void Sidecars_start_in_order_keep_running_and_are_stopped_after_the_app_containers()
    {
        var state = TestPods.State("Never", sidecars: ["proxy"], apps: ["app"]);
        Assert.Equal<KubeletCommand>([new BindPod(), new CreateSandbox(), new StartContainer("proxy", 0)], PodLifecycle.Plan(state, T0).Commands);

        state = state.Placed().Started("proxy", 0, T0);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 0)], PodLifecycle.Plan(state, T0).Commands);

        // The app finishes: the pod is done, and its sidecar is asked to stop.
        state = state.Started("app", 0, T0).Exited("app", 0, T0.AddSeconds(5), 0);
        Assert.True(state.Terminal);
        Assert.Equal<KubeletCommand>([new StopContainer("proxy", 0, StopSignal.Terminate)], PodLifecycle.Plan(state, T0.AddSeconds(5)).Commands);
        Assert.Equal<KubeletCommand>([new StopContainer("proxy", 0, StopSignal.Kill)], PodLifecycle.Plan(state, T0.AddSeconds(35)).Commands);
    }

    [Fact]
    public void On_deletion_sidecars_get_SIGTERM_only_once_the_app_containers_have_exited()
    {
        var state = TestPods.State(sidecars: ["proxy"], apps: ["app"]).Placed().Started("proxy", 0, T0).Started("app", 0, T0);
        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(30), false));

        Assert.Equal<KubeletCommand>([new StopContainer("app", 0, StopSignal.Terminate)], PodLifecycle.Plan(state, T0).Commands);
        state = PodLifecycle.Apply(state, [new StopSent("app", 0, StopSignal.Terminate)]).Exited("app", 0, T0.AddSeconds(1), 0);
        Assert.Equal<KubeletCommand>([new StopContainer("proxy", 0, StopSignal.Terminate)], PodLifecycle.Plan(state, T0.AddSeconds(1)).Commands);
    }

    [Fact]
    public void An_unschedulable_pod_waits_ScheduleRetry_when_nothing_happens_and_tries_again()
    {
        var state = PodLifecycle.Apply(TestPods.State(), [new PodUnschedulable("0/0 nodes are available.", T0)]);

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(1));
        Assert.Empty(plan.Commands);
        Assert.Equal(T0 + TestPods.Scaled.ScheduleRetry, plan.WakeAt);
        Assert.Equal<KubeletCommand>([new BindPod(), new CreateSandbox(), new StartContainer("app", 0)], PodLifecycle.Plan(state, T0 + TestPods.Scaled.ScheduleRetry).Commands);
    }

    [Theory]
    // failed attempts so far, seconds after the last refusal that the chance comes, seconds after it the pod is tried
    [InlineData(1, 0.5, 1)] // within the first back-off (1 s): at its end
    [InlineData(1, 3, 3)] // after it: at once
    [InlineData(3, 2, 4)] // the third refusal backs off 4 s
    [InlineData(6, 1, 10)] // the back-off stops doubling at 10 s
    public void A_scheduling_chance_tries_an_unschedulable_pod_again_once_its_back_off_allows(int attempts, double chanceAfter, double triedAfter)
    {
        var settings = TestPods.Scaled with { ScheduleRetry = TimeSpan.FromMinutes(5) };
        var state = PodLifecycle.Initialize(TestPods.Pod(), settings);
        for (var i = 0; i < attempts; i++)
        {
            state = PodLifecycle.Apply(state, [new PodUnschedulable("0/1 nodes are available: 1 Insufficient cpu.", T0)]);
        }

        Assert.Equal(T0.AddMinutes(5), PodLifecycle.Plan(state, T0).WakeAt);
        state = PodLifecycle.Observe(state, new SchedulingChance(T0.AddSeconds(chanceAfter)));

        Assert.Equal(T0.AddSeconds(triedAfter), state.ScheduleRetryAt);
        Assert.Contains(new BindPod(), PodLifecycle.Plan(state, T0.AddSeconds(triedAfter)).Commands);
    }

    [Fact]
    public void A_scheduling_chance_never_puts_a_retry_off_and_means_nothing_to_a_bound_pod_or_one_never_tried()
    {
        var fresh = TestPods.State();
        Assert.Same(fresh, PodLifecycle.Observe(fresh, new SchedulingChance(T0)));

        var refused = PodLifecycle.Apply(fresh, [new PodUnschedulable("0/0 nodes are available.", T0)]);
        Assert.Same(refused, PodLifecycle.Observe(refused, new SchedulingChance(T0.AddMinutes(10))));

        var bound = PodLifecycle.Apply(refused, [new PodBound("node-1", T0.AddSeconds(1))]);
        Assert.Equal((0, null, null), (bound.ScheduleAttempts, bound.ScheduleBackoffUntil, bound.ScheduleRetryAt));
        Assert.Same(bound, PodLifecycle.Observe(bound, new SchedulingChance(T0.AddSeconds(2))));
    }

    [Fact]
    public void A_pod_already_being_deleted_starts_in_termination()
    {
        var pod = TestPods.Pod();
        pod.Metadata.DeletionTimestamp = T0.UtcDateTime;

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled);

        Assert.Equal(T0, state.Termination!.KillAt);
        Assert.Equal<KubeletCommand>([new RemoveSandbox(), new RemovePod()], PodLifecycle.Plan(state, T0).Commands);
    }

    [Fact]
    public void Only_changes_the_status_shows_ask_for_a_status_write()
    {
        var state = TestPods.State().Placed() with { };
        state = state with { WrittenRevision = state.Revision };
        Assert.False(PodLifecycle.Plan(state.Started("app", 0, T0) with { WrittenRevision = state.Revision + 1 }, T0).WriteStatus);

        var stopped = PodLifecycle.Apply(state.Started("app", 0, T0) with { WrittenRevision = state.Revision + 1 }, [new StopSent("app", 0, StopSignal.Terminate)]);
        Assert.False(PodLifecycle.Plan(stopped, T0).WriteStatus);
        Assert.True(PodLifecycle.Plan(stopped.Exited("app", 0, T0, 1), T0).WriteStatus);
    }

    [Fact]
    public void A_new_execution_relists_before_anything_else_and_recovers_a_lost_exit()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0) with { NeedsRelist = true };

        Assert.Equal<KubeletCommand>([new Relist()], PodLifecycle.Plan(state, T0.AddSeconds(5)).Commands);

        state = PodLifecycle.Apply(state, [new RunExited(new ContainerExited("app", 0, T0.AddSeconds(2), 1)), new Relisted()]);
        Assert.False(state.NeedsRelist);
        Assert.Equal(1, state.Find("app")!.Run!.ExitCode);
        Assert.Equal<KubeletCommand>([new StartContainer("app", 1)], PodLifecycle.Plan(state, T0.AddSeconds(5)).Commands);
    }

    [Fact]
    public void A_relist_that_finds_nothing_new_only_clears_the_flag()
    {
        var state = TestPods.State().Placed().Started("app", 0, T0) with { NeedsRelist = true };

        var relisted = PodLifecycle.Apply(state, [new Relisted()]);

        Assert.Equal(state with { NeedsRelist = false }, relisted);
        Assert.Empty(PodLifecycle.Plan(relisted, T0).Commands);
    }
}
