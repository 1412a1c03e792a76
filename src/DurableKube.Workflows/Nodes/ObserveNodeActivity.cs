using DurableKube.Domain.Resources;
using DurableKube.Domain.Scheduling;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Nodes;

/// <summary>
/// One turn of a node's <see cref="NodeAgentLoop"/>: the node agent's heartbeat and resync for that node (the
/// Node object refreshed, every unacknowledged exit raised to its pod's workflow, orphans stopped), and whether
/// the node still holds anything to watch. Idempotent: a heartbeat and a resync may run twice.
/// </summary>
public sealed class ObserveNodeActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "ObserveNode";

    private readonly IServiceProvider _services;
    private readonly INodeRuntimes _nodes;
    private readonly IObjectStore _store;
    private readonly IOptions<NodeOptions> _options;

    /// <summary>Initializes a new instance of the <see cref="ObserveNodeActivity"/> class.</summary>
    /// <param name="services">Where the node agent's services come from.</param>
    /// <param name="nodes">The nodes and their runtimes.</param>
    /// <param name="store">The objects, read to see which pods the node holds.</param>
    /// <param name="options">The node agent's intervals.</param>
    public ObserveNodeActivity(IServiceProvider services, INodeRuntimes nodes, IObjectStore store, IOptions<NodeOptions> options)
    {
        _services = services;
        _nodes = nodes;
        _store = store;
        _options = options;
    }

    /// <summary>Observes a node once.</summary>
    /// <param name="node">The node's name.</param>
    /// <param name="workflows">Raises the exits to the pods' workflows (the Functions host gives one per invocation).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether it holds pods, and when to look again.</returns>
    public async Task<NodeObservation> RunAsync(string node, IWorkflowClient workflows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var interval = _options.Value.ExitResyncInterval;
        if (_nodes.Nodes.FirstOrDefault(n => n.Name == node) is not { } served)
        {
            // No longer configured here: nothing to observe, and no runtime to observe it with.
            return new NodeObservation(HoldsPods: false, interval);
        }

        using var agent = ActivatorUtilities.CreateInstance<NodeAgent>(_services, served, workflows);
        await agent.HeartbeatAsync(cancellationToken);
        var runs = await agent.ResyncAsync(cancellationToken);
        return new NodeObservation(await HoldsPodsAsync(served, runs, cancellationToken), served.ResyncInterval ?? interval);
    }

    /// <summary>Whether a pod bound to the node is not finished, or the runtime still has runs (running, or exits not yet acknowledged).</summary>
    private async Task<bool> HoldsPodsAsync(NodeRuntime node, IReadOnlyList<ContainerRunStatus> runs, CancellationToken cancellationToken)
    {
        // The runs as the resync saw them, before it reported their exits: one list per turn (for ACI, one ARM read). An
        // exit is held until a kubelet acknowledges it, or the resync finds no workflow to take it.
        if (runs.Any(r => r.State != ContainerRunState.Exited || !r.Acknowledged))
        {
            return true;
        }

        var pods = await _store.ListAsync(ResourceTypes.Pods, null, ListQuery.All, cancellationToken);
        if (pods.Items.Cast<V1Pod>().Any(p => p.Spec?.NodeName == node.Name && !IsFinished(p)))
        {
            return true;
        }

        // A node its lifecycle controller marked unreachable or not ready is observed until it reports Ready again: nothing
        // binds to it meanwhile, so only this loop can lift its taints (the controller does, once the heartbeat says Ready).
        var stored = await _store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, node.Name), cancellationToken) as V1Node;
        return stored?.Spec?.Taints?.Any(t => t.Key is TaintToleration.UnreachableKey or TaintToleration.NotReadyKey) == true;
    }

    private static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";
}
