using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// Picks a node for a pod, as the scheduler's filter and score steps would with the plugins that
/// matter here: the node is Ready and schedulable, matches the pod's <c>nodeSelector</c>, and has no
/// NoSchedule/NoExecute taint the pod does not tolerate. Among the feasible nodes, pods are spread by
/// their uid, so the choice is stable (a retried bind picks the same node) without reading every pod.
/// </summary>
public static class NodeSelection
{
    /// <summary>Chooses a node.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodes">The nodes that exist.</param>
    /// <returns>The chosen node's name, or the scheduler's message saying why none fits.</returns>
    public static NodeChoice Choose(V1Pod pod, IReadOnlyList<V1Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodes);
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var feasible = new List<V1Node>();
        foreach (var node in nodes)
        {
            var reason = Misfit(pod, node);
            if (reason is null)
            {
                feasible.Add(node);
            }
            else
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }

        if (feasible.Count == 0)
        {
            var detail = string.Join(", ", reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"));
            var message = $"0/{nodes.Count} nodes are available" + (detail.Length > 0 ? $": {detail}." : ".")
                + " preemption: not eligible due to preemptionPolicy=Never.";
            return new NodeChoice(null, message);
        }

        feasible.Sort((a, b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name));
        var index = (int)(StableHash(pod.Metadata.Uid ?? pod.Metadata.Name) % (uint)feasible.Count);
        return new NodeChoice(feasible[index].Metadata.Name, null);
    }

    /// <summary>Why a node cannot take the pod, in the scheduler's words, or <see langword="null"/> if it can.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? Misfit(V1Pod pod, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        if (node.Spec?.Unschedulable == true)
        {
            return "node(s) were unschedulable";
        }

        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready?.Status != "True")
        {
            return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
        }

        foreach (var (key, value) in pod.Spec.NodeSelector ?? new Dictionary<string, string>())
        {
            if (node.Metadata.Labels is null || !node.Metadata.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return "node(s) didn't match Pod's node affinity/selector";
            }
        }

        foreach (var taint in node.Spec?.Taints ?? [])
        {
            if (taint.Effect is "NoSchedule" or "NoExecute" && !(pod.Spec.Tolerations ?? []).Any(t => Tolerates(t, taint)))
            {
                return $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}";
            }
        }

        return null;
    }

    private static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(toleration.Key))
        {
            return toleration.OperatorProperty == "Exists";
        }

        if (toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty == "Exists" || (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty);
    }

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
