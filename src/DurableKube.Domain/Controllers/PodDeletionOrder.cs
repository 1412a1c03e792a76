using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Controllers;

/// <summary>
/// Which of a controller's pods go first when it scales down (controller_utils.go, <c>ActivePodsWithRanks</c>
/// with LogarithmicScaleDown, as Kubernetes has it on by default), rule by rule: not assigned to a node;
/// Pending, then Unknown, then Running; not ready before ready; lower <c>controller.kubernetes.io/pod-deletion-cost</c>;
/// more of the set's pods on the same node; ready for a shorter time (in powers of two, a Ready condition
/// with no time first); more container restarts, then more sidecar restarts; newer (in powers of two, no
/// creation time first); then by uid.
/// </summary>
public static class PodDeletionOrder
{
    /// <summary>The annotation that tells which pods a controller should rather keep.</summary>
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>Orders pods for deletion, those to delete first first.</summary>
    /// <param name="pods">The pods to choose among.</param>
    /// <param name="related">The pods whose placement ranks them (the controller's active pods).</param>
    /// <param name="now">The present, for the logarithmic comparisons of ages.</param>
    /// <returns>The pods in deletion order.</returns>
    public static IReadOnlyList<V1Pod> Order(IEnumerable<V1Pod> pods, IEnumerable<V1Pod> related, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(related);
        var onNode = related.Where(PodConditions.IsActive)
            .GroupBy(p => p.Spec?.NodeName ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ranked = pods.Select(p => (Pod: p, Rank: onNode.GetValueOrDefault(p.Spec?.NodeName ?? string.Empty))).ToList();
        ranked.Sort((a, b) => Compare(a.Pod, a.Rank, b.Pod, b.Rank, now));
        return [.. ranked.Select(r => r.Pod)];
    }

    /// <summary>Compares two pods: negative if the first should be deleted first.</summary>
    private static int Compare(V1Pod a, int rankA, V1Pod b, int rankB, DateTimeOffset now)
    {
        var nodeA = a.Spec?.NodeName ?? string.Empty;
        var nodeB = b.Spec?.NodeName ?? string.Empty;
        if (nodeA != nodeB && (nodeA.Length == 0 || nodeB.Length == 0))
        {
            return nodeA.Length == 0 ? -1 : 1;
        }

        if (PhaseOrdinal(a) != PhaseOrdinal(b))
        {
            return PhaseOrdinal(a).CompareTo(PhaseOrdinal(b));
        }

        var readyA = PodConditions.IsReady(a);
        var readyB = PodConditions.IsReady(b);
        if (readyA != readyB)
        {
            return readyA ? 1 : -1;
        }

        if (DeletionCost(a) != DeletionCost(b))
        {
            return DeletionCost(a).CompareTo(DeletionCost(b));
        }

        if (rankA != rankB)
        {
            return rankB.CompareTo(rankA);
        }

        if (readyA && readyB && PodConditions.ReadySince(a) is var sinceA && PodConditions.ReadySince(b) is var sinceB && sinceA != sinceB)
        {
            // A pod whose Ready condition carries no time goes before one that does (afterOrZero).
            if (sinceA is null || sinceB is null)
            {
                return sinceA is null ? -1 : 1;
            }

            var diff = LogarithmicRankDiff(sinceA.Value, sinceB.Value, now);
            return diff != 0 ? Math.Sign(diff) : string.CompareOrdinal(a.Metadata?.Uid, b.Metadata?.Uid);
        }

        var (regularA, sidecarA) = MaxRestarts(a);
        var (regularB, sidecarB) = MaxRestarts(b);
        if (regularA != regularB)
        {
            return regularB.CompareTo(regularA);
        }

        if (sidecarA != sidecarB)
        {
            return sidecarB.CompareTo(sidecarA);
        }

        var createdA = a.Metadata?.CreationTimestamp;
        var createdB = b.Metadata?.CreationTimestamp;
        if (createdA != createdB)
        {
            if (createdA is null || createdB is null)
            {
                return createdA is null ? -1 : 1;
            }

            var diff = LogarithmicRankDiff(Serialization.KubeTime.ToInstant(createdA.Value), Serialization.KubeTime.ToInstant(createdB.Value), now);
            return diff != 0 ? Math.Sign(diff) : string.CompareOrdinal(a.Metadata?.Uid, b.Metadata?.Uid);
        }

        return 0;
    }

    /// <summary>Pending before Unknown before Running; other phases after (they are not active).</summary>
    private static int PhaseOrdinal(V1Pod pod) => pod.Status?.Phase switch
    {
        "Pending" or null or "" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };

    private static int DeletionCost(V1Pod pod) =>
        pod.Metadata?.Annotations?.TryGetValue(DeletionCostAnnotation, out var text) == true
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost)
            ? cost
            : 0;

    /// <summary>
    /// The most restarts of one of a pod's containers, and of one of its sidecars (init containers with
    /// restartPolicy Always), which break a tie of the first (<c>maxContainerRestarts</c>).
    /// </summary>
    private static (int Regular, int Sidecar) MaxRestarts(V1Pod pod)
    {
        var regular = (pod.Status?.ContainerStatuses ?? []).Select(s => s.RestartCount).DefaultIfEmpty(0).Max();
        var sidecars = (pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var sidecar = (pod.Status?.InitContainerStatuses ?? []).Where(s => sidecars.Contains(s.Name)).Select(s => s.RestartCount).DefaultIfEmpty(0).Max();
        return (regular, sidecar);
    }

    /// <summary>
    /// Compares two ages in powers of two (<c>logarithmicRankDiff</c>): the younger (more recent) time ranks lower,
    /// and times within the same power of two of nanoseconds rank the same.
    /// </summary>
    private static long LogarithmicRankDiff(DateTimeOffset t1, DateTimeOffset t2, DateTimeOffset now)
    {
        static long Rank(TimeSpan age) => age > TimeSpan.Zero ? (long)Math.Log2(age.Ticks * 100.0) : -1;
        return Rank(now - t1) - Rank(now - t2);
    }
}
