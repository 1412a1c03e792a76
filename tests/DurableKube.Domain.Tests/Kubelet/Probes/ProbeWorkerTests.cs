using DurableKube.Domain.Kubelet.Probes;

namespace DurableKube.Domain.Tests.Kubelet.Probes;

public class ProbeWorkerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static ProbeTimings Timings(int initialDelay = 0, int success = 1, int failure = 3) =>
        new(TimeSpan.FromSeconds(initialDelay), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), success, failure);

    [Theory]
    [InlineData(ProbeKind.Readiness, ProbeResult.Failure)]
    [InlineData(ProbeKind.Liveness, ProbeResult.Success)]
    [InlineData(ProbeKind.Startup, ProbeResult.Unknown)]
    public void A_worker_starts_from_the_kubelets_initial_value(ProbeKind kind, ProbeResult initial)
    {
        var state = ProbeWorker.Start(kind, 2);

        Assert.Equal((kind, 2, initial, 0, false), (state.Kind, state.Attempt, state.Result, state.Streak, state.OnHold));
    }

    [Theory]
    // kind, initial delay, seconds since start, started, running, attempt seen, deleting, on hold -> decision
    [InlineData(ProbeKind.Readiness, 0, 0, true, true, 0, false, false, ProbeDecision.Probe)]
    [InlineData(ProbeKind.Readiness, 5, 4.9, true, true, 0, false, false, ProbeDecision.Skip)]
    [InlineData(ProbeKind.Readiness, 5, 5.0, true, true, 0, false, false, ProbeDecision.Probe)]
    [InlineData(ProbeKind.Liveness, 0, 3, false, true, 0, false, false, ProbeDecision.Skip)]
    [InlineData(ProbeKind.Readiness, 0, 3, false, true, 0, false, false, ProbeDecision.Skip)]
    [InlineData(ProbeKind.Startup, 0, 3, false, true, 0, false, false, ProbeDecision.Probe)]
    [InlineData(ProbeKind.Startup, 0, 3, true, true, 0, false, false, ProbeDecision.Skip)]
    [InlineData(ProbeKind.Liveness, 0, 3, true, true, 0, false, true, ProbeDecision.Skip)]
    [InlineData(ProbeKind.Liveness, 0, 3, true, false, 0, false, false, ProbeDecision.Stop)]
    [InlineData(ProbeKind.Liveness, 0, 3, true, true, 1, false, false, ProbeDecision.Stop)]
    [InlineData(ProbeKind.Liveness, 0, 3, true, true, 0, true, false, ProbeDecision.Stop)]
    [InlineData(ProbeKind.Startup, 0, 3, false, true, 0, true, false, ProbeDecision.Stop)]
    [InlineData(ProbeKind.Readiness, 0, 3, true, true, 0, true, false, ProbeDecision.Probe)]
    public void Decide_probes_only_a_running_started_run_past_its_initial_delay(
        ProbeKind kind, int initialDelay, double sinceStart, bool started, bool running, int attemptSeen, bool deleting, bool onHold, ProbeDecision expected)
    {
        var state = ProbeWorker.Start(kind, 0) with { OnHold = onHold };
        var target = new ProbeTarget(attemptSeen, running, T0, started, deleting);

        var decision = ProbeWorker.Decide(state, Timings(initialDelay), target, T0.AddSeconds(sinceStart));

        Assert.Equal(expected, decision);
    }

    [Theory]
    // kind, failure threshold, success threshold, observations (S/F/E) -> reported results after each, changed flags, last action
    [InlineData(ProbeKind.Liveness, 3, 1, "FF", "SS", "--", ProbeAction.None)]
    [InlineData(ProbeKind.Liveness, 3, 1, "FFF", "SSF", "--C", ProbeAction.Restart)]
    [InlineData(ProbeKind.Liveness, 3, 1, "FFSFF", "SSSSS", "-----", ProbeAction.None)]
    [InlineData(ProbeKind.Liveness, 1, 1, "SF", "SF", "-C", ProbeAction.Restart)]
    [InlineData(ProbeKind.Liveness, 2, 1, "FEF", "SSF", "--C", ProbeAction.Restart)]
    [InlineData(ProbeKind.Readiness, 3, 1, "S", "S", "C", ProbeAction.None)]
    [InlineData(ProbeKind.Readiness, 3, 2, "SS", "FS", "-C", ProbeAction.None)]
    [InlineData(ProbeKind.Readiness, 3, 2, "SFS", "FFF", "---", ProbeAction.None)]
    [InlineData(ProbeKind.Readiness, 2, 1, "SFFS", "SSFS", "C-CC", ProbeAction.None)]
    [InlineData(ProbeKind.Readiness, 1, 1, "SSS", "SSS", "C--", ProbeAction.None)]
    [InlineData(ProbeKind.Startup, 3, 1, "FFS", "UUS", "--C", ProbeAction.None)]
    [InlineData(ProbeKind.Startup, 3, 1, "FFF", "UUF", "--C", ProbeAction.Restart)]
    [InlineData(ProbeKind.Startup, 2, 1, "FFS", "UFF", "-C-", ProbeAction.None)]
    public void Thresholds_decide_when_the_reported_result_changes(
        ProbeKind kind, int failureThreshold, int successThreshold, string observations, string results, string changes, ProbeAction lastAction)
    {
        var state = ProbeWorker.Start(kind, 0);
        var timings = Timings(success: successThreshold, failure: failureThreshold);
        var seen = string.Empty;
        var changed = string.Empty;
        var action = ProbeAction.None;
        foreach (var o in observations)
        {
            var observation = o switch
            {
                'S' => ProbeObservation.Success(),
                'F' => ProbeObservation.Failure("HTTP probe failed with statuscode: 500"),
                _ => ProbeObservation.Error("couldn't find port: http"),
            };
            var step = ProbeWorker.Observe(state, timings, observation);
            state = step.State;
            seen += state.Result.ToString()[0];
            changed += step.Changed ? 'C' : '-';
            action = step.Action;
        }

        Assert.Equal((results, changes, lastAction), (seen, changed, action));
    }

    [Theory]
    [InlineData(ProbeKind.Liveness, "F", true)]
    [InlineData(ProbeKind.Startup, "S", true)]
    [InlineData(ProbeKind.Startup, "F", true)]
    [InlineData(ProbeKind.Readiness, "F", false)]
    [InlineData(ProbeKind.Liveness, "S", false)]
    public void A_verdict_that_ends_probing_of_the_run_puts_the_worker_on_hold(ProbeKind kind, string observation, bool onHold)
    {
        var timings = Timings(failure: 1);
        var step = ProbeWorker.Observe(ProbeWorker.Start(kind, 0), timings, observation == "S" ? ProbeObservation.Success() : ProbeObservation.Failure("no"));

        Assert.Equal(onHold, step.State.OnHold);
        if (onHold)
        {
            // Nothing more is observed for this run: the next run gets a new worker.
            var after = ProbeWorker.Observe(step.State, timings, ProbeObservation.Success());
            Assert.Equal((step.State, false), (after.State, after.Changed));
            Assert.Equal(ProbeDecision.Skip, ProbeWorker.Decide(step.State, timings, new ProbeTarget(0, true, T0, kind != ProbeKind.Startup), T0.AddMinutes(1)));
        }
    }

    [Theory]
    // kind, failure threshold, observations -> decided after each
    [InlineData(ProbeKind.Readiness, 2, "FFF", "-DD")]
    [InlineData(ProbeKind.Readiness, 1, "FSE", "DD-")]
    [InlineData(ProbeKind.Liveness, 3, "SFF", "D--")]
    [InlineData(ProbeKind.Startup, 2, "FF", "-D")]
    public void A_step_says_when_the_result_is_a_verdict_even_one_equal_to_the_initial_value(ProbeKind kind, int failureThreshold, string observations, string decided)
    {
        var state = ProbeWorker.Start(kind, 0);
        var seen = string.Empty;
        foreach (var o in observations)
        {
            var step = ProbeWorker.Observe(state, Timings(failure: failureThreshold), o switch
            {
                'S' => ProbeObservation.Success(),
                'F' => ProbeObservation.Failure("no"),
                _ => ProbeObservation.Error("couldn't run"),
            });
            state = step.State;
            seen += step.Decided ? 'D' : '-';
        }

        Assert.Equal(decided, seen);
    }

    [Fact]
    public void A_new_run_starts_a_fresh_worker_with_its_counts_reset()
    {
        var timings = Timings(failure: 3);
        var state = ProbeWorker.Start(ProbeKind.Liveness, 0);
        state = ProbeWorker.Observe(state, timings, ProbeObservation.Failure("no")).State;
        state = ProbeWorker.Observe(state, timings, ProbeObservation.Failure("no")).State;

        // The run restarted: its worker stops, and the next run's begins from nothing.
        Assert.Equal(ProbeDecision.Stop, ProbeWorker.Decide(state, timings, new ProbeTarget(1, true, T0, true), T0));
        var next = ProbeWorker.Observe(ProbeWorker.Start(ProbeKind.Liveness, 1), timings, ProbeObservation.Failure("no"));
        Assert.Equal((ProbeResult.Success, 1, false), (next.State.Result, next.State.Streak, next.Changed));
    }

    [Theory]
    [InlineData(null, null, null, null, null, 0, 10, 1, 1, 3, null)]
    [InlineData(5, 2, 3, 1, 6, 5, 2, 3, 1, 6, null)]
    [InlineData(0, 0, 0, 0, 0, 0, 10, 1, 1, 3, null)]
    [InlineData(null, null, null, null, null, 0, 10, 1, 1, 3, 7L)]
    public void Timings_read_the_probe_with_the_api_defaults(
        int? delay, int? period, int? timeout, int? success, int? failure, int eDelay, int ePeriod, int eTimeout, int eSuccess, int eFailure, long? grace)
    {
        var timings = ProbeTimings.From(new k8s.Models.V1Probe
        {
            InitialDelaySeconds = delay, PeriodSeconds = period, TimeoutSeconds = timeout, SuccessThreshold = success, FailureThreshold = failure,
            TerminationGracePeriodSeconds = grace,
        });

        Assert.Equal(
            new ProbeTimings(TimeSpan.FromSeconds(eDelay), TimeSpan.FromSeconds(ePeriod), TimeSpan.FromSeconds(eTimeout), eSuccess, eFailure, grace is { } g ? TimeSpan.FromSeconds(g) : null),
            timings);
    }

    [Theory]
    // period 10 s from the worker's start: the tick the last look was made for, when it ended -> when the next look is
    [InlineData(0, 0.5, 10)] // a quick probe: the next tick
    [InlineData(0, 9.99, 10)]
    [InlineData(0, 10, 10)]
    [InlineData(10, 10.5, 20)]
    [InlineData(0, 15, 15)] // a probe that took 15 s: the tick at 10 s was held, and is taken at once
    [InlineData(15, 15.2, 20)] // then back on the grid, not 10 s after the slow one
    [InlineData(0, 35, 35)] // the ticks at 20 and 30 s were dropped: one look, not three in a row
    [InlineData(35, 35.1, 40)]
    public void The_next_look_is_on_the_periods_ticks_whatever_a_probe_took(double lastTick, double endedAt, double next)
    {
        var period = TimeSpan.FromSeconds(10);

        var due = ProbeWorker.NextTick(T0, period, T0.AddSeconds(lastTick), T0.AddSeconds(endedAt));

        Assert.Equal(T0.AddSeconds(next), due);
    }

    [Fact]
    public void Looks_that_take_part_of_the_period_fall_on_its_ticks_without_drifting()
    {
        var period = TimeSpan.FromSeconds(1);
        var tick = T0;
        var looks = new List<DateTimeOffset>();
        for (var i = 0; i < 1000; i++)
        {
            // Each look takes 300 ms; a Task.Delay-after-probe loop would drift 5 minutes over these 1,000 looks.
            tick = ProbeWorker.NextTick(T0, period, tick, tick.AddMilliseconds(300));
            looks.Add(tick);
        }

        Assert.Equal(T0.AddSeconds(1000), looks[^1]);
        Assert.All(looks, l => Assert.Equal(0, (l - T0).Ticks % period.Ticks));
    }
}
