namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>
/// The kubelet's probe worker as pure functions (pkg/kubelet/prober/worker.go): when a probe runs, and what its
/// observations add up to. A worker probes one run of one container with one probe; the prober makes a new one
/// for the next run, so counts start again after a restart.
/// </summary>
public static class ProbeWorker
{
    /// <summary>The result a probe reports before its first verdict: readiness Failure (not ready), liveness Success, startup Unknown.</summary>
    /// <param name="kind">The probe.</param>
    /// <returns>The initial result.</returns>
    public static ProbeResult InitialResult(ProbeKind kind) => kind switch
    {
        ProbeKind.Readiness => ProbeResult.Failure,
        ProbeKind.Liveness => ProbeResult.Success,
        _ => ProbeResult.Unknown,
    };

    /// <summary>Starts a worker for a run.</summary>
    /// <param name="kind">The probe.</param>
    /// <param name="attempt">The run's attempt number.</param>
    /// <returns>The worker's state.</returns>
    public static ProbeWorkerState Start(ProbeKind kind, int attempt) => new(kind, attempt, InitialResult(kind));

    /// <summary>Decides what to do at a tick.</summary>
    /// <param name="state">The worker.</param>
    /// <param name="timings">The probe's timings.</param>
    /// <param name="target">The container as its pod's status shows it.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Probe now, skip this tick, or stop the worker.</returns>
    public static ProbeDecision Decide(ProbeWorkerState state, ProbeTimings timings, ProbeTarget target, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Attempt != state.Attempt || !target.Running)
        {
            // Another run now, or none: this worker's run is over.
            return ProbeDecision.Stop;
        }

        if (target.Deleting && state.Kind != ProbeKind.Readiness)
        {
            // A pod being deleted shuts down quietly: no liveness or startup kill.
            return ProbeDecision.Stop;
        }

        if (state.OnHold || target.StartedAt is not { } started)
        {
            return ProbeDecision.Skip;
        }

        // The kubelet compares whole seconds since the start with initialDelaySeconds.
        if (Math.Floor((now - started).TotalSeconds) < timings.InitialDelay.TotalSeconds)
        {
            return ProbeDecision.Skip;
        }

        // The startup probe runs until the container has started; the others only after it.
        return target.Started == (state.Kind == ProbeKind.Startup) ? ProbeDecision.Skip : ProbeDecision.Probe;
    }

    /// <summary>
    /// When a worker looks next: at the next tick of its period (the kubelet's worker waits on a Go <c>time.Ticker</c>),
    /// so a slow probe does not stretch the period. Ticks fall every <paramref name="period"/> from the worker's start; a
    /// tick that passed while the last look was still running was held by the ticker and is taken at once, and any more
    /// that passed were dropped.
    /// </summary>
    /// <param name="origin">When the worker started (its first look, and the ticker's start).</param>
    /// <param name="period">The probe's <c>periodSeconds</c>.</param>
    /// <param name="lastTick">When the tick the last look was made for was due (as returned by this function before, or <paramref name="origin"/>).</param>
    /// <param name="now">The current time, once the last look is over.</param>
    /// <returns>When to look next: the first tick after <paramref name="lastTick"/>, or <paramref name="now"/> if it has passed.</returns>
    public static DateTimeOffset NextTick(DateTimeOffset origin, TimeSpan period, DateTimeOffset lastTick, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        var elapsed = Math.Max(0, (lastTick - origin).Ticks);
        var next = origin + TimeSpan.FromTicks(((elapsed / period.Ticks) + 1) * period.Ticks);
        return next > now ? next : now;
    }

    /// <summary>Folds one probe's observation into the worker.</summary>
    /// <param name="state">The worker.</param>
    /// <param name="timings">The probe's thresholds.</param>
    /// <param name="observation">What the probe found.</param>
    /// <returns>The new state, whether the reported result changed, and what the kubelet must do.</returns>
    public static ProbeStep Observe(ProbeWorkerState state, ProbeTimings timings, ProbeObservation observation)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.Errored || state.OnHold || observation.Result == ProbeResult.Unknown)
        {
            // A probe that could not run is thrown away, as the kubelet's worker does.
            return new ProbeStep(state, Changed: false, ProbeAction.None);
        }

        var streak = state.LastObserved == observation.Result ? state.Streak + 1 : 1;
        state = state with { LastObserved = observation.Result, Streak = streak };
        var threshold = observation.Result == ProbeResult.Success ? timings.SuccessThreshold : timings.FailureThreshold;
        if (streak < threshold)
        {
            // Below the threshold: the reported result stays as it was.
            return new ProbeStep(state, Changed: false, ProbeAction.None);
        }

        var changed = state.Result != observation.Result;
        state = state with { Result = observation.Result };
        var restart = observation.Result == ProbeResult.Failure && state.Kind is ProbeKind.Liveness or ProbeKind.Startup;
        if (restart || state.Kind == ProbeKind.Startup)
        {
            // The run is being restarted, or has started: nothing more to probe until the next run.
            state = state with { OnHold = true, Streak = 0 };
        }

        return new ProbeStep(state, changed, restart ? ProbeAction.Restart : ProbeAction.None, Decided: true);
    }
}
