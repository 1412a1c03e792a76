namespace DurableKube.Ports.Runtime;

/// <summary>The pod-level environment its containers share (a pod sandbox, an ACI container group).</summary>
/// <param name="PodUid">The pod's uid.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name.</param>
/// <param name="NodeName">The node the pod is bound to.</param>
public sealed record SandboxSpec(string PodUid, string Namespace, string PodName, string NodeName);
