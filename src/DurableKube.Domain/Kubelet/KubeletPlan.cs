namespace DurableKube.Domain.Kubelet;

/// <summary>What the kubelet workflow does next.</summary>
/// <param name="Commands">Commands to run now, in order (possibly none).</param>
/// <param name="WriteStatus">Whether the pod's status must be written even if no command runs.</param>
/// <param name="WakeAt">When to look again if no signal comes first (a restart or kill falls due); <see langword="null"/> to wait for a signal only.</param>
/// <param name="Done">Whether the workflow is finished: the pod is gone.</param>
public sealed record KubeletPlan(IReadOnlyList<KubeletCommand> Commands, bool WriteStatus, DateTimeOffset? WakeAt, bool Done)
{
    /// <summary>Gets a value indicating whether an activity must run (commands or a status write).</summary>
    public bool HasWork => Commands.Count > 0 || WriteStatus;
}
