using DurableKube.Domain.Kubelet.Probes;

namespace DurableKube.Domain.Kubelet;

/// <summary>What the kubelet knows and intends about one container of its pod.</summary>
/// <param name="Name">The container's name.</param>
/// <param name="Role">Init, sidecar or app.</param>
/// <param name="Run">The current run, or the most recent one once it has exited; <see langword="null"/> before the first start.</param>
/// <param name="PreviousRun">The run before <paramref name="Run"/>.</param>
/// <param name="Backoff">
/// The delay the next crash will wait before its restart (client-go's back-off entry);
/// <see langword="null"/> until the first restart.
/// </param>
/// <param name="RestartAt">When a pending restart is due; <see langword="null"/> when none is pending.</param>
/// <param name="CreateError">Why the container could not be created, if it could not.</param>
/// <param name="StopRequested">The strongest stop signal already sent to the current run, if any.</param>
/// <param name="Probes">The container's probes; <see langword="null"/> without any (then a running container is started and ready).</param>
/// <param name="Probed">What the probes have said about the current run.</param>
/// <param name="ProbeKill">The current run failed its liveness or startup probe and is being stopped.</param>
/// <param name="CreateRetryAt">When a container held by <paramref name="CreateError"/> is tried again (it waits for a ConfigMap or Secret), if it is.</param>
/// <param name="BackoffShown">
/// A sync has found the exited <paramref name="Run"/> waiting out its back-off (the kubelet's reason cache holds
/// <c>CrashLoopBackOff</c> for it): its status shows it waiting in CrashLoopBackOff rather than terminated. Until then
/// the status shows the termination (Error, Completed), as the kubelet's first sync after the exit writes it.
/// </param>
/// <param name="History">
/// The container's most recent runs, oldest first, at most <see cref="RunHistory.Limit"/> (<see cref="RunHistory.Record"/>
/// keeps it): Kubernetes' status shows only the last termination, the dashboard's restart timeline shows these.
/// <see langword="null"/> in a state written before it existed.
/// </param>
public sealed record ContainerTrack(
    string Name,
    ContainerRole Role,
    ContainerRun? Run = null,
    ContainerRun? PreviousRun = null,
    TimeSpan? Backoff = null,
    DateTimeOffset? RestartAt = null,
    ContainerCreateError? CreateError = null,
    StopSignal? StopRequested = null,
    ContainerProbes? Probes = null,
    RunProbeState? Probed = null,
    ProbeKill? ProbeKill = null,
    DateTimeOffset? CreateRetryAt = null,
    bool BackoffShown = false,
    IReadOnlyList<ContainerRun>? History = null)
{
    /// <summary>Gets the container's restart count: the attempt number of its latest run.</summary>
    public int RestartCount => Run?.Attempt ?? 0;

    /// <summary>Gets a value indicating whether the current run is alive.</summary>
    public bool IsRunning => Run is { Exited: false };

    /// <summary>Gets the attempt number the next start will use.</summary>
    public int NextAttempt => Run is null ? 0 : Run.Attempt + 1;

    /// <summary>Gets a value indicating whether the container has never been started.</summary>
    public bool NeverStarted => Run is null;

    /// <summary>
    /// Gets a value indicating whether the current run counts as started (<c>containerStatuses[].started</c>): it runs,
    /// and its startup probe has succeeded or it has none.
    /// </summary>
    public bool IsStarted => IsRunning && (Probes is not { Startup: true } || Probed is { Started: true } p && p.Attempt == Run!.Attempt);

    /// <summary>
    /// Gets a value indicating whether the current run is ready (<c>containerStatuses[].ready</c>): it has started, and
    /// its readiness probe's result is Success or it has none.
    /// </summary>
    public bool IsReady => IsStarted && (Probes is not { Readiness: true } || Probed is { Ready: true } p && p.Attempt == Run!.Attempt);
}
