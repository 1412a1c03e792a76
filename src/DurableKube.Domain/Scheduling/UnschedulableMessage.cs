using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// The message of a pod that fits on no node, worded as kube-scheduler's <c>FitError</c> words it:
/// <c>0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: 0/3 nodes
/// are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.</c>
/// </summary>
/// <remarks>
/// Each reason is counted over the nodes (a node short of CPU and memory counts under both), and the
/// <c>count reason</c> strings are sorted as strings, as the scheduler sorts them. The part after
/// <c>preemption:</c> is what the DefaultPreemption plugin says when it finds nothing to evict: nodes turned
/// down for an unresolvable reason (taints, affinity, cordon) are no help, and on the others no pod has a
/// lower priority to make room (DurableKube does not preempt; see the README).
/// </remarks>
public static class UnschedulableMessage
{
    /// <summary>The scheduler's message when there are no nodes at all.</summary>
    public const string NoNodes = "no nodes available to schedule pods";

    /// <summary>What preemption says of a node where removing pods would not help.</summary>
    public const string PreemptionNotHelpful = "Preemption is not helpful for scheduling";

    /// <summary>What preemption says of a node with no pod of lower priority to remove.</summary>
    public const string NoPreemptionVictims = "No preemption victims found for incoming pod";

    /// <summary>Formats the message.</summary>
    /// <param name="pod">The pod (its preemption policy words the last part).</param>
    /// <param name="nodeCount">How many nodes there are.</param>
    /// <param name="statuses">Why each node turned the pod down.</param>
    /// <returns>The message.</returns>
    public static string Format(V1Pod pod, int nodeCount, IReadOnlyCollection<FilterStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(statuses);
        if (nodeCount == 0)
        {
            return NoNodes;
        }

        var message = Available(nodeCount, statuses.SelectMany(s => s.Reasons));
        var preemption = pod.Spec?.PreemptionPolicy == "Never"
            ? "preemption: not eligible due to preemptionPolicy=Never."
            : "preemption: " + Available(nodeCount, statuses.Select(s => s.Resolvable ? NoPreemptionVictims : PreemptionNotHelpful));
        return message + " " + preemption;
    }

    private static string Available(int nodeCount, IEnumerable<string> reasons)
    {
        var histogram = reasons
            .GroupBy(r => r, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var head = string.Create(CultureInfo.InvariantCulture, $"0/{nodeCount} nodes are available:");
        return histogram.Count == 0 ? head : $"{head} {string.Join(", ", histogram)}.";
    }
}
