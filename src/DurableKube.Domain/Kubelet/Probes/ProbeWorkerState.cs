namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>What one probe worker (one probe of one run of a container) remembers between probes (pkg/kubelet/prober/worker.go).</summary>
/// <param name="Kind">Which probe.</param>
/// <param name="Attempt">The run it probes; a new run gets a new worker, so its counts start again.</param>
/// <param name="Result">The result reported so far: the initial value until a threshold is reached.</param>
/// <param name="LastObserved">What the last probe found.</param>
/// <param name="Streak">How many probes in a row found <paramref name="LastObserved"/>.</param>
/// <param name="OnHold">
/// Whether the worker stopped probing this run: after a liveness or startup failure (the run is being restarted),
/// and after the startup probe succeeded.
/// </param>
public sealed record ProbeWorkerState(ProbeKind Kind, int Attempt, ProbeResult Result, ProbeResult LastObserved = ProbeResult.Unknown, int Streak = 0, bool OnHold = false);
