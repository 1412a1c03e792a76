using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Nodes;

/// <summary>
/// Starts a node's <see cref="NodeAgentLoop"/> when a pod is bound to it (or created already bound), and again
/// if the loop ended while the node was empty: the work that makes a node worth observing starts its observer.
/// A pod created unbound starts the loop of every node not registered yet, which registers it (one observation)
/// and ends if the node is empty, so the scheduler finds the node.
/// For hosts whose node agents run only as durable loops (the Functions app); the local host runs its agents
/// as hosted services instead and does not register this handler.
/// </summary>
public sealed class NodeAgentStarter : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly INodeRuntimes _nodes;
    private readonly ILogger<NodeAgentStarter> _logger;

    /// <summary>Initializes a new instance of the <see cref="NodeAgentStarter"/> class.</summary>
    /// <param name="store">The objects, read only.</param>
    /// <param name="nodes">The nodes this control plane serves.</param>
    /// <param name="logger">The logger.</param>
    public NodeAgentStarter(IObjectStore store, INodeRuntimes nodes, ILogger<NodeAgentStarter> logger)
    {
        _store = store;
        _nodes = nodes;
        _logger = logger;
    }

    /// <summary>Gets no kind: it only watches pods (the Nodes kind is the node lifecycle controller's, <see cref="NodeLifecycleChangeHandler"/>).</summary>
    public ResourceType? Kind => null;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches => [ResourceTypes.Pods];

    /// <summary>A pod's binding to a node, or a pod created (possibly already bound); nothing of the Node objects themselves.</summary>
    /// <param name="change">A change.</param>
    /// <returns>Whether a node may have gained a pod.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Resource == ResourceTypes.Pods.GroupResource
            && (change.Subresource == Subresource.Binding.Name || change.Type == ObjectChangeType.Added);
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflows);
        var pod = (V1Pod?)await _store.GetAsync(new ObjectKey(ResourceTypes.Pods, change.Namespace, change.Name), cancellationToken);
        if (pod?.Metadata.Uid != change.Uid)
        {
            return;
        }

        if (pod.Spec?.NodeName is { Length: > 0 } node)
        {
            await EnsureAsync(node, workflows, cancellationToken);
        }
        else
        {
            await RegisterMissingAsync(workflows, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var pods = await _store.ListAsync(ResourceTypes.Pods, null, ListQuery.All, cancellationToken);
        var busy = pods.Items.Cast<V1Pod>()
            .Where(p => p.Spec?.NodeName is { Length: > 0 } && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .Select(p => p.Spec.NodeName)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var node in busy)
        {
            await EnsureAsync(node, workflows, cancellationToken);
        }

        await RegisterMissingAsync(workflows, cancellationToken);
        return busy.Count;
    }

    /// <summary>Starts the loop of every served node that has no Node object yet: its first observation registers it.</summary>
    private async Task RegisterMissingAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        foreach (var node in _nodes.Nodes)
        {
            if (await _store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, node.Name), cancellationToken) is null)
            {
                await EnsureAsync(node.Name, workflows, cancellationToken);
            }
        }
    }

    private async Task EnsureAsync(string node, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (_nodes.RuntimeOf(node) is null)
        {
            return; // Not a node this control plane runs.
        }

        // A loop that completed ended on an empty node: this pod makes it worth observing again.
        var start = new WorkflowStart(
            NodeAgentLoop.Name, NodeAgentLoop.InstanceIdFor(node), () => new NodeAgentLoopState(node), CompletedNeedsRestart: true,
            ResourceTypes.Nodes.GroupResource, null, node);
        await workflows.EnsureRunningAsync(start, _logger, cancellationToken);
    }
}
