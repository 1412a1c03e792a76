namespace DurableKube.Ports.Runtime;

/// <summary>The pod-level environment its containers share (a pod sandbox, an ACI container group).</summary>
/// <param name="PodUid">The pod's uid.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name.</param>
/// <param name="NodeName">The node the pod is bound to.</param>
public sealed record SandboxSpec(string PodUid, string Namespace, string PodName, string NodeName)
{
    /// <summary>Gets the pod's <c>spec.restartPolicy</c>: <c>Always</c>, <c>OnFailure</c> or <c>Never</c>.</summary>
    public string RestartPolicy { get; init; } = "Always";

    /// <summary>
    /// Gets every container of the pod, init containers first in spec order, then app containers: what a
    /// <see cref="SandboxScope.Pod"/> runtime creates with the sandbox. Empty for a container-scoped runtime,
    /// which is given each container as it starts.
    /// </summary>
    public IReadOnlyList<ContainerLaunch> Containers { get; init; } = [];

    /// <summary>Gets the credentials for the registries the pod's images come from (its <c>imagePullSecrets</c>).</summary>
    public IReadOnlyList<ImagePullCredential> PullCredentials { get; init; } = [];

    /// <summary>Gets the pod's volumes the runtime provides.</summary>
    public IReadOnlyList<SandboxVolume> Volumes { get; init; } = [];

    /// <summary>
    /// Gets the image of every container of the pod with its pull policy, init containers first: what a
    /// container-scoped runtime that pulls images (Docker) makes ready before the sandbox is, saying per container
    /// why it waits (<c>ErrImagePull</c>, <c>ImagePullBackOff</c>, <c>ErrImageNeverPull</c>) while it is not.
    /// </summary>
    public IReadOnlyList<ContainerImage> Images { get; init; } = [];
}
