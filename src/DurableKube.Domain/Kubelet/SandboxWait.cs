namespace DurableKube.Domain.Kubelet;

/// <summary>Why a pod's sandbox is not ready, as its containers' waiting states and its conditions show it.</summary>
/// <param name="Reason">
/// Set when the sandbox could not be created now, e.g. <c>ContainerGroupQuotaReached</c>: the pod's
/// <c>PodReadyToStartContainers</c> condition carries it; <see langword="null"/> while creation is under way.
/// </param>
/// <param name="Message">A sentence about <paramref name="Reason"/>.</param>
/// <param name="Containers">Why each container that has not started waits.</param>
/// <param name="RetryAt">When to ask the runtime again.</param>
public sealed record SandboxWait(string? Reason, string? Message, IReadOnlyList<ContainerWait> Containers, DateTimeOffset RetryAt)
{
    /// <summary>Whether two waits show the same thing (their retry times aside).</summary>
    /// <param name="other">The other wait.</param>
    /// <returns><see langword="true"/> if a status built from either would be the same.</returns>
    public bool ShowsSameAs(SandboxWait? other) =>
        other is not null && Reason == other.Reason && Message == other.Message && Containers.SequenceEqual(other.Containers);
}

/// <summary>Why one container of a pending sandbox has not started.</summary>
/// <param name="Name">The container.</param>
/// <param name="Reason"><c>ContainerCreating</c>, <c>ErrImagePull</c>, <c>ImagePullBackOff</c>...</param>
/// <param name="Message">The runtime's words, if any.</param>
public sealed record ContainerWait(string Name, string Reason, string? Message);
