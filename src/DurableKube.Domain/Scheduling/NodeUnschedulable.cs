using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>The NodeUnschedulable filter: a cordoned node (<c>spec.unschedulable</c>) takes only pods that tolerate its taint.</summary>
public static class NodeUnschedulable
{
    /// <summary>The scheduler's reason.</summary>
    public const string Reason = "node(s) were unschedulable";

    private static readonly V1Taint CordonTaint = new() { Key = TaintToleration.UnschedulableKey, Effect = "NoSchedule" };

    /// <summary>Checks the node.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns><see langword="null"/> if the node is schedulable or the pod tolerates its cordon, else why not.</returns>
    public static FilterStatus? Filter(V1Pod pod, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        if (node.Spec?.Unschedulable != true || (pod.Spec?.Tolerations ?? []).Any(t => TaintToleration.Tolerates(t, CordonTaint)))
        {
            return null;
        }

        return FilterStatus.Unresolvable(Reason);
    }
}
