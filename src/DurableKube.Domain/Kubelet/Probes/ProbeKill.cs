namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>A run that failed its liveness or startup probe and is being stopped so that it restarts.</summary>
/// <param name="Attempt">The run.</param>
/// <param name="Kind">The probe it failed.</param>
/// <param name="KillAt">When SIGTERM's grace ends and SIGKILL follows.</param>
/// <param name="Message">The kubelet's words: <c>Container x failed liveness probe, will be restarted</c>.</param>
public sealed record ProbeKill(int Attempt, ProbeKind Kind, DateTimeOffset KillAt, string Message);
