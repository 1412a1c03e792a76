namespace DurableKube.Ports.Runtime;

/// <summary>
/// The worker nodes this control plane serves and the runtime of each: a pod runs on the runtime of the
/// node it is bound to. One control plane may hold a local process node and Azure Container Instances nodes at once.
/// </summary>
public interface INodeRuntimes
{
    /// <summary>Gets the nodes, in configuration order.</summary>
    IReadOnlyList<NodeRuntime> Nodes { get; }

    /// <summary>Finds the runtime of a node.</summary>
    /// <param name="nodeName">The node's name.</param>
    /// <returns>The runtime, or <see langword="null"/> if this control plane serves no such node.</returns>
    IContainerRuntime? RuntimeOf(string nodeName);
}
