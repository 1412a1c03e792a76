namespace DurableKube.Domain.Kubelet;

/// <summary>The addresses a created sandbox gives its pod.</summary>
/// <param name="PodIP">The pod's address.</param>
/// <param name="HostIP">The node's address.</param>
public sealed record SandboxAddresses(string PodIP, string HostIP);
