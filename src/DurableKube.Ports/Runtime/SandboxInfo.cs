namespace DurableKube.Ports.Runtime;

/// <summary>What a created sandbox gives its pod.</summary>
/// <param name="PodIP">The address the pod's containers listen on.</param>
/// <param name="HostIP">The address of the node.</param>
public sealed record SandboxInfo(string PodIP, string HostIP);
