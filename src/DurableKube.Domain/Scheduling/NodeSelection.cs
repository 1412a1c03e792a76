using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// Picks a node for a pod as kube-scheduler's filter and score steps would with the default plugins that
/// matter here, in the scheduler's order, a node turned down by the first filter that fails:
/// <see cref="NodeUnschedulable"/>, <see cref="TaintToleration"/> (the node's taints and those its Ready
/// condition implies), <see cref="NodeAffinity"/> (<c>nodeSelector</c> and required node affinity) and
/// <see cref="NodeResourcesFit"/> (requests against allocatable less what is already placed).
/// </summary>
/// <remarks>
/// Among the feasible nodes, pods are spread by their uid over the nodes sorted by name, so a pod's choice
/// does not depend on the order the nodes were listed in, and a retried bind that sees the same nodes picks
/// the same one.
/// </remarks>
public static class NodeSelection
{
    /// <summary>Chooses a node.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodes">The nodes that exist.</param>
    /// <param name="placed">
    /// The pods bound to nodes (see <see cref="NodeUsage.Occupies"/>; others are skipped), whose requests count
    /// against their nodes; the pod itself, if among them, is not counted.
    /// </param>
    /// <returns>The chosen node's name, or the scheduler's message saying why none fits.</returns>
    public static NodeChoice Choose(V1Pod pod, IReadOnlyList<V1Node> nodes, IEnumerable<V1Pod> placed)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(placed);
        var uid = pod.Metadata?.Uid;
        var usage = NodeUsage.ByNode(placed.Where(p => uid is null || p.Metadata?.Uid != uid));
        var request = PodRequests.Of(pod);
        var statuses = new List<FilterStatus>();
        var feasible = new List<V1Node>();
        foreach (var node in nodes)
        {
            var status = Filter(pod, request, node, usage.GetValueOrDefault(node.Metadata?.Name ?? string.Empty, NodeUsage.Empty));
            if (status is null)
            {
                feasible.Add(node);
            }
            else
            {
                statuses.Add(status);
            }
        }

        if (feasible.Count == 0)
        {
            return new NodeChoice(null, UnschedulableMessage.Format(pod, nodes.Count, statuses));
        }

        feasible.Sort((a, b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name));
        var index = (int)(StableHash(uid ?? pod.Metadata?.Name ?? string.Empty) % (uint)feasible.Count);
        return new NodeChoice(feasible[index].Metadata.Name, null);
    }

    /// <summary>
    /// Says why no node can take the pod when every node is turned down by a filter that does not look at what is placed
    /// (all but <see cref="NodeResourcesFit"/>): the same answer <see cref="Choose"/> gives whatever is placed, found
    /// without the list of placed pods. A pod whose node selector no node matches, or whose toleration is missing, costs a
    /// scheduling attempt a list of the nodes, not of every pod.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodes">The nodes that exist.</param>
    /// <returns>The scheduler's refusal, or <see langword="null"/> when some node's answer depends on what is placed.</returns>
    public static NodeChoice? RefuseRegardlessOfPlacement(V1Pod pod, IReadOnlyList<V1Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodes);
        var statuses = new List<FilterStatus>(nodes.Count);
        foreach (var node in nodes)
        {
            if (FilterRegardlessOfPlacement(pod, node) is not { } status)
            {
                return null;
            }

            statuses.Add(status);
        }

        return new NodeChoice(null, UnschedulableMessage.Format(pod, nodes.Count, statuses));
    }

    /// <summary>Runs the filters on one node, in the scheduler's order, stopping at the first that turns it down.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="request">The pod's requests (<see cref="PodRequests.Of"/>).</param>
    /// <param name="node">The node.</param>
    /// <param name="usage">What the pods already on the node request.</param>
    /// <returns><see langword="null"/> if the node can take the pod, else why not.</returns>
    public static FilterStatus? Filter(V1Pod pod, ResourceTotals request, V1Node node, NodeUsage usage) =>
        FilterRegardlessOfPlacement(pod, node) ?? NodeResourcesFit.Filter(request, node, usage);

    /// <summary>The filters that come before <see cref="NodeResourcesFit"/> and do not depend on what is placed.</summary>
    private static FilterStatus? FilterRegardlessOfPlacement(V1Pod pod, V1Node node) =>
        NodeUnschedulable.Filter(pod, node)
        ?? TaintToleration.Filter(pod, node)
        ?? NodeAffinity.Filter(pod, node);

    private static uint StableHash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and the choice must not be.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
