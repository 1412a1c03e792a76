namespace DurableKube.Ports.Runtime;

/// <summary>Why a container of a pending sandbox has not started, as its waiting state shows it.</summary>
/// <param name="Container">The container's name.</param>
/// <param name="Reason"><c>ContainerCreating</c>, <c>ErrImagePull</c>, <c>ImagePullBackOff</c>, <c>CreateContainerConfigError</c>...</param>
/// <param name="Message">A sentence from the runtime, if it gave one.</param>
public sealed record ContainerWaiting(string Container, string Reason, string? Message = null);
