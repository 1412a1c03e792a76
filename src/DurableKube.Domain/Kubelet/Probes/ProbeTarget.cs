namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>The container as its pod's status shows it when a probe falls due.</summary>
/// <param name="Attempt">The attempt number of its current run.</param>
/// <param name="Running">Whether that run is running.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Started">Whether the container counts as started (<c>containerStatuses[].started</c>: its startup probe succeeded, or it has none).</param>
/// <param name="Deleting">Whether the pod is being deleted.</param>
public sealed record ProbeTarget(int Attempt, bool Running, DateTimeOffset? StartedAt, bool Started, bool Deleting = false);
