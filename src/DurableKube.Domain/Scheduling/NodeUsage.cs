using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>What the pods already placed on a node request (the scheduler's <c>NodeInfo.Requested</c> and its pod count).</summary>
/// <param name="Requested">The sum of their requests.</param>
/// <param name="PodCount">How many they are.</param>
public sealed record NodeUsage(ResourceTotals Requested, int PodCount)
{
    /// <summary>Gets the usage of a node with nothing on it.</summary>
    public static NodeUsage Empty { get; } = new(ResourceTotals.Zero, 0);

    /// <summary>
    /// Whether a pod occupies its node's resources: it is bound and not terminal (the scheduler's view of
    /// assigned pods leaves out those whose phase is <c>Succeeded</c> or <c>Failed</c>). A terminating pod
    /// still counts until it is gone, as its containers may still run.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <returns><see langword="true"/> if it counts against its node.</returns>
    public static bool Occupies(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return !string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Status?.Phase is not ("Succeeded" or "Failed");
    }

    /// <summary>Adds up, node by node, what the pods that occupy nodes request.</summary>
    /// <param name="pods">Pods; those that do not occupy a node (<see cref="Occupies"/>) are skipped, and a uid seen twice counts once.</param>
    /// <returns>The usage of each node that has any.</returns>
    public static IReadOnlyDictionary<string, NodeUsage> ByNode(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var usage = new Dictionary<string, NodeUsage>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!Occupies(pod) || (pod.Metadata?.Uid is { } uid && !seen.Add(uid)))
            {
                continue;
            }

            var node = pod.Spec.NodeName;
            usage[node] = usage.GetValueOrDefault(node, Empty).With(pod);
        }

        return usage;
    }

    /// <summary>Adds a pod.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The usage with the pod on the node.</returns>
    public NodeUsage With(V1Pod pod) => new(Requested.Add(PodRequests.Of(pod)) with { Pods = 0 }, PodCount + 1);
}
