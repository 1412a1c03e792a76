namespace DurableKube.Domain.Kubelet;

/// <summary>The pod is being deleted: its containers are stopped, then its sandbox and object removed.</summary>
/// <param name="KillAt">When the grace period ends and what still runs gets SIGKILL.</param>
/// <param name="ObjectGone">Whether the pod object is already gone from the store (a forced deletion), so there is nothing left to remove there.</param>
public sealed record PodTermination(DateTimeOffset KillAt, bool ObjectGone);
