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

    /// <summary>Gets the taints of the Node.</summary>
    public IReadOnlyList<V1Taint> Taints { get; init; } = [];
}
