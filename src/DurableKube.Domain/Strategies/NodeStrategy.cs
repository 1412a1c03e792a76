using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>The API server's rules for Nodes: the node agent registers a node with its status, so create keeps it.</summary>
public sealed class NodeStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="NodeStrategy"/> class.</summary>
    public NodeStrategy()
        : base(ResourceTypes.Nodes)
    {
    }

    /// <inheritdoc />
    public override bool TracksGeneration => false;

    /// <inheritdoc />
    public override void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        // A node is created by its agent with its status: nothing to clear.
    }
}
