using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Kubelet.Probes;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>Sidecar containers (init containers with <c>restartPolicy: Always</c>, KEP-753) as the kubelet runs and stops them.</summary>
public class SidecarTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private static string[] Sidecars(int count) => Enumerable.Range(1, count).Select(i => $"s{i}").ToArray();

    /// <summary>A running pod: its sidecars and its app container started at <see cref="T0"/>.</summary>
    private static PodLifecycleState Running(int sidecars, string policy = "Always")
    {
        var state = TestPods.State(policy, sidecars: Sidecars(sidecars), apps: ["app"]).Placed();
        foreach (var sidecar in Sidecars(sidecars))
        {
            state = state.Started(sidecar, 0, T0);
        }

        return state.Started("app", 0, T0);
    }

    /// <summary>A pod brought to the point where its containers are to stop: deleted, finished (a Job's pod), or past its active deadline.</summary>
    private static PodLifecycleState Stopping(string how, int sidecars, DateTimeOffset at)
    {
        switch (how)
        {
            case "deletion":
                return PodLifecycle.Observe(Running(sidecars), new PodDeletionRequested(at + Grace, ObjectGone: false));
            case "terminal":
                // The app container completes: the pod is done, and only its sidecars still run.
                var done = Running(sidecars, "Never").Exited("app", 0, at, 0);
                Assert.True(done.Terminal);
                return done;
            case "deadline":
                var running = Running(sidecars) with { ActiveDeadline = at - T0, StartTime = T0 };
                var plan = PodLifecycle.Plan(running, at);
                Assert.Equal(new EnforceDeadline(at), plan.Commands[0]);
                Assert.Equal("app", Signalled(plan.Commands, StopSignal.Terminate));

                // The stops are planned again once the pod has failed: the test follows them from there.
                return PodLifecycle.Apply(running, [new DeadlineEnforced(at)]);
            default:
                throw new ArgumentOutOfRangeException(nameof(how));
        }
    }

    private static PodLifecycleState Sent(PodLifecycleState state, IEnumerable<StopContainer> stops) =>
        PodLifecycle.Apply(state, stops.Select(s => new StopSent(s.Name, s.Attempt, s.Signal)).ToList());

    private static string Signalled(IEnumerable<KubeletCommand> commands, StopSignal signal) =>
        string.Join(',', commands.OfType<StopContainer>().Where(s => s.Signal == signal).Select(s => s.Name));

    [Theory]
    // how the pod stops, sidecars (s1 declared first), who gets SIGTERM at each step while each exits a second after it
    [InlineData("deletion", 2, "app|s2|s1")]
    [InlineData("deletion", 3, "app|s3|s2|s1")]
    [InlineData("terminal", 2, "s2|s1")]
    [InlineData("terminal", 3, "s3|s2|s1")]
    [InlineData("deadline", 2, "app|s2|s1")]
    [InlineData("deadline", 3, "app|s3|s2|s1")]
    public void Sidecars_get_SIGTERM_after_the_app_containers_one_at_a_time_from_the_last_declared(string how, int sidecars, string order)
    {
        var start = T0.AddSeconds(10);
        var now = start;
        var state = Stopping(how, sidecars, start);
        var steps = new List<string>();
        foreach (var _ in order.Split('|'))
        {
            var plan = PodLifecycle.Plan(state, now);
            var terms = plan.Commands.OfType<StopContainer>().Where(s => s.Signal == StopSignal.Terminate).ToList();
            steps.Add(string.Join(',', terms.Select(t => t.Name)));
            Assert.Empty(Signalled(plan.Commands, StopSignal.Kill));
            Assert.Equal(start + Grace, plan.WakeAt);
            state = Sent(state, terms);

            // Each exits a second after its SIGTERM; the next is signalled only then.
            now = now.AddSeconds(1);
            foreach (var term in terms)
            {
                state = state.Exited(term.Name, 0, now, 143);
            }
        }

        Assert.Equal(order, string.Join('|', steps));
        Assert.DoesNotContain(state.Containers, c => c.IsRunning);
    }

    [Theory]
    // sidecars, when the last-declared one exits after its SIGTERM (seconds after the grace period began; -1: never),
    // when each sidecar gets SIGTERM and SIGKILL ("name:term>kill" in seconds, "-" for none)
    [InlineData(2, 5, "s1:5>30 s2:1>-")] // s2 exits at 5 s: s1's turn, with what remains of the grace period
    [InlineData(2, 29, "s1:29>31 s2:1>-")] // s2 exits a second before the end: s1 still gets its 2 s
    [InlineData(2, -1, "s1:30>32 s2:1>30")] // s2 holds on: at the end s2 is killed, and s1 gets SIGTERM, then 2 s
    [InlineData(3, -1, "s1:30>32 s2:30>32 s3:1>30")] // every sidecar still waiting gets SIGTERM when the grace period is over
    public void The_grace_period_is_shared_and_a_sidecar_whose_turn_came_late_gets_two_seconds(int sidecars, int lastExits, string expected)
    {
        var start = T0.AddSeconds(10);
        var state = Stopping("deletion", sidecars, start);
        var signals = Sidecars(sidecars).ToDictionary(s => s, _ => (Term: (int?)null, Kill: (int?)null));
        var last = $"s{sidecars}";

        // The app exits at once, a second after its SIGTERM; then step through the grace period and beyond, second by second.
        state = Sent(state, PodLifecycle.Plan(state, start).Commands.OfType<StopContainer>()).Exited("app", 0, start.AddSeconds(1), 143);
        for (var second = 1; second <= 40; second++)
        {
            var now = start.AddSeconds(second);
            if (second == lastExits)
            {
                state = state.Exited(last, 0, now, 143);
            }

            var stops = PodLifecycle.Plan(state, now).Commands.OfType<StopContainer>().ToList();
            foreach (var stop in stops)
            {
                var seen = signals[stop.Name];
                signals[stop.Name] = stop.Signal == StopSignal.Terminate ? seen with { Term = seen.Term ?? second } : seen with { Kill = seen.Kill ?? second };
            }

            state = Sent(state, stops);
            foreach (var killed in stops.Where(s => s.Signal == StopSignal.Kill))
            {
                state = state.Exited(killed.Name, 0, now, 137);
            }
        }

        var actual = string.Join(' ', signals.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => $"{s.Key}:{s.Value.Term?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}>{s.Value.Kill?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"));
        Assert.Equal(expected, actual);
    }

    [Theory]
    // running sidecars when the pod is deleted (the others exited before), who gets SIGTERM once the app has exited
    [InlineData("s1,s2,s3", "s3")]
    [InlineData("s1,s3", "s1,s3")] // s1 waits only for s2, the next one declared, which no longer runs (as the kubelet)
    [InlineData("s1,s2", "s2")]
    [InlineData("s2,s3", "s3")]
    [InlineData("s1", "s1")]
    public void A_sidecar_waits_for_the_app_containers_and_the_next_declared_sidecar(string running, string terminated)
    {
        var state = Running(3);
        foreach (var gone in Sidecars(3).Except(running.Split(',')))
        {
            // Exited and in back-off when the deletion comes, which cancels its restart.
            state = state.Exited(gone, 0, T0.AddSeconds(1), 1);
        }

        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(35), ObjectGone: false));
        var plan = PodLifecycle.Plan(state, T0.AddSeconds(5));
        Assert.Equal("app", Signalled(plan.Commands, StopSignal.Terminate));
        state = Sent(state, plan.Commands.OfType<StopContainer>()).Exited("app", 0, T0.AddSeconds(6), 0);

        Assert.Equal(terminated, Signalled(PodLifecycle.Plan(state, T0.AddSeconds(6)).Commands, StopSignal.Terminate));
    }

    [Fact]
    public void A_forced_deletion_kills_the_app_at_once_and_gives_the_sidecars_their_two_seconds()
    {
        var state = PodLifecycle.Observe(Running(2), new PodDeletionRequested(T0.AddSeconds(5), ObjectGone: true));

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(5));
        Assert.Equal("app", Signalled(plan.Commands, StopSignal.Kill));
        Assert.Equal("s1,s2", Signalled(plan.Commands, StopSignal.Terminate));
        Assert.Equal(T0.AddSeconds(7), plan.WakeAt);

        state = Sent(state, plan.Commands.OfType<StopContainer>()).Exited("app", 0, T0.AddSeconds(5), 137);
        Assert.Empty(PodLifecycle.Plan(state, T0.AddSeconds(6)).Commands);
        Assert.Equal("s1,s2", Signalled(PodLifecycle.Plan(state, T0.AddSeconds(7)).Commands, StopSignal.Kill));
    }

    [Fact]
    public void A_regular_init_container_still_running_does_not_hold_the_sidecars_back()
    {
        // The kubelet orders sidecars after the app containers and each other only.
        var pod = TestPods.Pod(sidecars: ["s1"]);
        pod.Spec.InitContainers.Add(new V1Container { Name = "setup", Image = "busybox", Command = ["true"] });
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("s1", 0, T0).Started("setup", 0, T0);
        state = PodLifecycle.Observe(state, new PodDeletionRequested(T0.AddSeconds(30), ObjectGone: false));

        Assert.Equal("s1,setup", Signalled(PodLifecycle.Plan(state, T0).Commands, StopSignal.Terminate));
    }

    private static V1Probe Probe() => new() { Exec = new V1ExecAction { Command = ["cat", "ready"] } };

    [Theory]
    // the sidecar's probe, what comes after it, signals about the sidecar -> does the next container start?
    [InlineData("none", "app", "", true)]
    [InlineData("startup", "app", "", false)]
    [InlineData("startup", "app", "S+", true)]
    [InlineData("startup", "init", "", false)]
    [InlineData("startup", "init", "S+", true)]
    [InlineData("startup", "sidecar", "", false)]
    [InlineData("startup", "sidecar", "S+", true)]
    [InlineData("readiness", "app", "", true)] // readiness does not hold the next container: started is enough
    [InlineData("liveness", "init", "", true)]
    public void A_sidecars_startup_probe_holds_the_next_container_back_until_it_succeeds(string probe, string next, string signals, bool starts)
    {
        var pod = TestPods.Pod(sidecars: ["proxy"], apps: ["app"]);
        var sidecar = pod.Spec.InitContainers[0];
        sidecar.StartupProbe = probe == "startup" ? Probe() : null;
        sidecar.ReadinessProbe = probe == "readiness" ? Probe() : null;
        sidecar.LivenessProbe = probe == "liveness" ? Probe() : null;
        var following = next switch
        {
            "init" => new V1Container { Name = "next", Image = "busybox", Command = ["true"] },
            "sidecar" => new V1Container { Name = "next", Image = "busybox", Command = ["sleep", "3600"], RestartPolicy = "Always" },
            _ => null,
        };
        if (following is not null)
        {
            pod.Spec.InitContainers.Add(following);
        }

        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("proxy", 0, T0);
        if (signals == "S+")
        {
            state = PodLifecycle.Observe(state, new ContainerProbed("proxy", 0, ProbeKind.Startup, ProbeResult.Success, T0.AddSeconds(1)));
        }

        var plan = PodLifecycle.Plan(state, T0.AddSeconds(2));

        var expected = following?.Name ?? "app";
        Assert.Equal(starts ? [new StartContainer(expected, 0)] : [], plan.Commands);
        Assert.Equal(starts, state.Find("proxy")!.IsStarted);
    }

    [Fact]
    public void A_sidecar_restarting_after_the_app_started_does_not_hold_the_app_back_until_its_startup_probe_passes()
    {
        var pod = TestPods.Pod("OnFailure", sidecars: ["proxy"], apps: ["app"]);
        pod.Spec.InitContainers[0].StartupProbe = Probe();
        var state = PodLifecycle.Initialize(pod, TestPods.Scaled).Placed().Started("proxy", 0, T0);
        state = PodLifecycle.Observe(state, new ContainerProbed("proxy", 0, ProbeKind.Startup, ProbeResult.Success, T0.AddSeconds(1)));
        state = state.Started("app", 0, T0.AddSeconds(1));

        // The sidecar crashes and is restarted; its new run has not passed its startup probe yet, while the app fails.
        state = state.Exited("proxy", 0, T0.AddSeconds(2), 1);
        Assert.Equal<KubeletCommand>([new StartContainer("proxy", 1)], PodLifecycle.Plan(state, T0.AddSeconds(2)).Commands);
        state = state.Started("proxy", 1, T0.AddSeconds(2)).Exited("app", 0, T0.AddSeconds(3), 1);
        Assert.False(state.Find("proxy")!.IsStarted);

        Assert.Equal<KubeletCommand>([new StartContainer("app", 1)], PodLifecycle.Plan(state, T0.AddSeconds(3)).Commands);
    }

    [Fact]
    public void A_crashed_sidecar_restarts_after_its_own_back_off_while_the_app_keeps_running()
    {
        // Under restartPolicy Never too: a sidecar always restarts (KEP-753).
        var state = Running(1, "Never");
        var now = T0;
        var delays = new List<double>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            now = now.AddSeconds(1);
            state = state.Exited("s1", attempt, now, 1);
            var track = state.Find("s1")!;
            delays.Add((track.RestartAt!.Value - now).TotalSeconds);

            // Waiting out the back-off: nothing else is stopped or started, the app is not held back.
            var waiting = PodLifecycle.Plan(state, now);
            Assert.DoesNotContain(waiting.Commands, c => c is StopContainer || (c is StartContainer s && s.Name == "app"));
            Assert.Equal(track.RestartAt > now ? track.RestartAt : null, waiting.WakeAt);

            now = track.RestartAt!.Value;
            Assert.Equal<KubeletCommand>([new StartContainer("s1", attempt + 1)], PodLifecycle.Plan(state, now).Commands);
            state = state.Started("s1", attempt + 1, now);
        }

        // client-go's back-off (scaled here: 1 s doubling to 4 s), the first restart immediate; the sidecar's own count.
        Assert.Equal([0, 1, 2, 4], delays);
        Assert.Equal(4, state.Find("s1")!.RestartCount);
        Assert.Equal(new ContainerRun(0, T0), state.Find("app")!.Run);
        Assert.False(state.Terminal);

        var status = PodStatusBuilder.Build(TestPods.Pod("Never", sidecars: ["s1"]), state, "process", now);
        Assert.Equal(4, status.InitContainerStatuses.Single().RestartCount);
        Assert.Equal(0, status.ContainerStatuses.Single().RestartCount);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void A_sidecar_in_CrashLoopBackOff_does_not_keep_a_Jobs_pod_from_completing()
    {
        var state = Running(1, "Never").Exited("s1", 0, T0.AddSeconds(1), 1);
        state = state.Started("s1", 1, T0.AddSeconds(1)).Exited("s1", 1, T0.AddSeconds(2), 1);
        Assert.NotNull(state.Find("s1")!.RestartAt);

        state = state.Exited("app", 0, T0.AddSeconds(3), 0);

        Assert.True(state.Terminal);
        Assert.Null(state.Find("s1")!.RestartAt);
        var plan = PodLifecycle.Plan(state, T0.AddSeconds(20));
        Assert.Empty(plan.Commands);
        Assert.Equal("Succeeded", PodStatusBuilder.Build(TestPods.Pod("Never", sidecars: ["s1"]), state, "process", T0.AddSeconds(20)).Phase);
    }
}
