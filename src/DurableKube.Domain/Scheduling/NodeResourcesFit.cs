using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// The NodeResourcesFit filter: the pod's requests (<see cref="PodRequests"/>) must fit in the node's
/// <c>status.allocatable</c> less what the pods already on it request (<see cref="NodeUsage"/>), resource by
/// resource, and the node must allow one more pod. A resource the pod does not request is not checked; a
/// node that reports no allocatable amount of a resource has none of it.
/// </summary>
public static class NodeResourcesFit
{
    /// <summary>The reason when the node's pod count is full.</summary>
    public const string TooManyPods = "Too many pods";

    /// <summary>Checks the node.</summary>
    /// <param name="request">The pod's requests.</param>
    /// <param name="node">The node.</param>
    /// <param name="usage">What the pods already on the node request.</param>
    /// <returns><see langword="null"/> if the pod fits, else every resource it does not fit in.</returns>
    public static FilterStatus? Filter(ResourceTotals request, V1Node node, NodeUsage usage)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(usage);
        var reasons = Insufficient(request, ResourceTotals.From(node.Status?.Allocatable), usage);
        return reasons.Count == 0 ? null : new FilterStatus(reasons, Resolvable: true);
    }

    /// <summary>The scheduler's reasons why requests do not fit beside what a node holds already.</summary>
    /// <param name="request">The pod's requests.</param>
    /// <param name="allocatable">The node's allocatable amounts.</param>
    /// <param name="usage">What the pods already on the node request.</param>
    /// <returns>The reasons, in the scheduler's order: pods, cpu, memory, ephemeral-storage, then scalar resources by name.</returns>
    public static IReadOnlyList<string> Insufficient(ResourceTotals request, ResourceTotals allocatable, NodeUsage usage)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(allocatable);
        ArgumentNullException.ThrowIfNull(usage);
        var reasons = new List<string>();
        var used = usage.Requested;
        if (usage.PodCount + 1L > allocatable.Pods)
        {
            reasons.Add(TooManyPods);
        }

        if (request.MilliCpu > 0 && request.MilliCpu > allocatable.MilliCpu - used.MilliCpu)
        {
            reasons.Add(Insufficient(ResourceTotals.Cpu));
        }

        if (request.Memory > 0 && request.Memory > allocatable.Memory - used.Memory)
        {
            reasons.Add(Insufficient(ResourceTotals.MemoryName));
        }

        if (request.EphemeralStorage > 0 && request.EphemeralStorage > allocatable.EphemeralStorage - used.EphemeralStorage)
        {
            reasons.Add(Insufficient(ResourceTotals.EphemeralStorageName));
        }

        foreach (var (name, amount) in request.Scalars.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (amount > 0 && amount > allocatable.Scalar(name) - used.Scalar(name))
            {
                reasons.Add(Insufficient(name));
            }
        }

        return reasons;
    }

    private static string Insufficient(string resource) => $"Insufficient {resource}";
}
