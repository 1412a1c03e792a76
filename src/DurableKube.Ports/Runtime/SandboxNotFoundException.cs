namespace DurableKube.Ports.Runtime;

/// <summary>
/// A pod-scoped sandbox that should exist is gone from the runtime: removed by someone else (an Azure Container Instances
/// container group deleted in the portal), not by the kubelet. Its runs went with it. Permanent for the call that found
/// it; the kubelet makes the sandbox again if the pod's restart policy lets its containers restart, as Kubernetes' kubelet
/// does when a pod's sandbox disappears.
/// </summary>
public sealed class SandboxNotFoundException : ContainerRuntimeException
{
    /// <summary>Initializes a new instance of the <see cref="SandboxNotFoundException"/> class.</summary>
    /// <param name="podUid">The pod whose sandbox is gone.</param>
    /// <param name="message">A sentence for the user: what is gone and, if known, why.</param>
    public SandboxNotFoundException(string podUid, string message)
        : base(message, transient: false) => PodUid = podUid;

    /// <summary>Gets the uid of the pod whose sandbox is gone.</summary>
    public string PodUid { get; }
}
