namespace DurableKube.Domain.Kubelet;

/// <summary>One container of the pod spec, as the lifecycle needs to know it.</summary>
/// <param name="Name">The container's name.</param>
/// <param name="Role">Init, sidecar or app.</param>
public sealed record ContainerSlot(string Name, ContainerRole Role);
