namespace DurableKube.Ports.Runtime;

/// <summary>What a runtime says of a pod's sandbox.</summary>
/// <param name="State">Pending or ready.</param>
/// <param name="PodIP">The address the pod's containers listen on, once known.</param>
/// <param name="HostIP">The address of the node, once known.</param>
/// <param name="Reason">
/// Set on a pending sandbox the runtime could not create now and will be asked for again (a quota reached,
/// no capacity in the region): a CamelCase word such as <c>ContainerGroupQuotaReached</c>.
/// </param>
/// <param name="Message">A sentence about <paramref name="Reason"/>.</param>
public sealed record SandboxStatus(SandboxState State, string? PodIP, string? HostIP, string? Reason = null, string? Message = null)
{
    /// <summary>Gets why each container that has not started waits, for a pending sandbox.</summary>
    public IReadOnlyList<ContainerWaiting> Waiting { get; init; } = [];

    /// <summary>Makes the status of a sandbox that is ready.</summary>
    /// <param name="podIP">The pod's address.</param>
    /// <param name="hostIP">The node's address.</param>
    /// <returns>The status.</returns>
    public static SandboxStatus Ready(string podIP, string hostIP) => new(SandboxState.Ready, podIP, hostIP);
}
