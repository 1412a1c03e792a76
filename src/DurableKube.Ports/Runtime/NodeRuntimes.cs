using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableKube.Ports.Runtime;

/// <summary>The nodes registered as <see cref="NodeRuntime"/> services, by name.</summary>
public sealed class NodeRuntimes : INodeRuntimes
{
    private readonly Dictionary<string, NodeRuntime> _byName = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="NodeRuntimes"/> class.</summary>
    /// <param name="nodes">The nodes, in registration order.</param>
    /// <exception cref="InvalidOperationException">Two nodes have the same name.</exception>
    public NodeRuntimes(IEnumerable<NodeRuntime> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        Nodes = nodes.ToList();
        foreach (var node in Nodes)
        {
            if (!_byName.TryAdd(node.Name, node))
            {
                throw new InvalidOperationException(
                    $"Two nodes are named \"{node.Name}\": the local node (Node:Name) and each Nodes:<name> section need names of their own.");
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<NodeRuntime> Nodes { get; }

    /// <inheritdoc />
    public IContainerRuntime? RuntimeOf(string nodeName) =>
        !string.IsNullOrEmpty(nodeName) && _byName.TryGetValue(nodeName, out var node) ? node.Runtime : null;
}

/// <summary>Registers nodes.</summary>
public static class NodeRuntimeServiceCollectionExtensions
{
    /// <summary>Registers a node and, once, the <see cref="INodeRuntimes"/> that lists every registered node.</summary>
    /// <param name="services">The services.</param>
    /// <param name="node">Makes the node.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddNodeRuntime(this IServiceCollection services, Func<IServiceProvider, NodeRuntime> node)
    {
        services.AddSingleton(node);
        services.TryAddSingleton<INodeRuntimes, NodeRuntimes>();
        return services;
    }

    /// <summary>Registers a node and, once, the <see cref="INodeRuntimes"/> that lists every registered node.</summary>
    /// <param name="services">The services.</param>
    /// <param name="node">The node.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddNodeRuntime(this IServiceCollection services, NodeRuntime node) =>
        services.AddNodeRuntime(_ => node);
}
