using k8s.Models;

namespace DurableKube.Ports.Runtime;

/// <summary>One worker node: its name, its runtime and what the Node object says beyond what the runtime describes.</summary>
/// <param name="Name">The Node's name.</param>
/// <param name="Runtime">The runtime its pods run on.</param>
public sealed record NodeRuntime(string Name, IContainerRuntime Runtime)
{
    /// <summary>Gets the labels the Node carries besides the well-known ones (hostname, os, arch).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets how often the node's agent lists the runtime for exits it was not told of, when the node wants its own
    /// interval (an ACI node's list is an ARM read, counted against ARM's limits); <see langword="null"/> for the
    /// agent's default (<c>Node:ExitResyncInterval</c>).
    /// </summary>
    public TimeSpan? ResyncInterval { get; init; }

    /// <summary>
    /// Gets a value indicating whether the node's agent streams the runtime's exits (<see cref="IContainerRuntime.WatchExitsAsync"/>)
    /// beside its resync; <see langword="false"/> for a runtime that can only be polled (ACI), whose every poll is an
    /// ARM read: its exits are found by the resync alone, at <see cref="ResyncInterval"/>.
    /// </summary>
    public bool StreamsExits { get; init; } = true;

    /// <summary>
    /// Gets the most pods the node takes (the kubelet's <c>maxPods</c>), reported as its <c>pods</c> capacity and
    /// allocatable; <see langword="null"/> for what its runtime reports (a machine's kubelet default of 110, an ACI
    /// node's configured <c>Pods</c>).
    /// </summary>
    public int? MaxPods { get; init; }

    /// <summary>Gets the taints of the Node.</summary>
    public IReadOnlyList<V1Taint> Taints { get; init; } = [];
}
