using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// The TaintToleration filter: a node whose <c>NoSchedule</c> or <c>NoExecute</c> taint the pod does not
/// tolerate cannot take it (<c>PreferNoSchedule</c> only steers scoring). The first such taint is named.
/// </summary>
public static class TaintToleration
{
    /// <summary>The taint a node that is not Ready carries (the node lifecycle controller's TaintNodesByCondition).</summary>
    public const string NotReadyKey = "node.kubernetes.io/not-ready";

    /// <summary>The taint a node whose Ready condition is Unknown carries.</summary>
    public const string UnreachableKey = "node.kubernetes.io/unreachable";

    /// <summary>The taint a cordoned node carries (<c>spec.unschedulable</c>).</summary>
    public const string UnschedulableKey = "node.kubernetes.io/unschedulable";

    /// <summary>Checks the pod's tolerations against the node's taints.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns><see langword="null"/> if the pod tolerates them all, else why not.</returns>
    public static FilterStatus? Filter(V1Pod pod, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var tolerations = pod.Spec?.Tolerations ?? [];
        var untolerated = EffectiveTaints(node)
            .FirstOrDefault(t => t.Effect is "NoSchedule" or "NoExecute" && !tolerations.Any(tol => Tolerates(tol, t)));
        return untolerated is null
            ? null
            : FilterStatus.Unresolvable($"node(s) had untolerated taint {{{untolerated.Key}: {untolerated.Value}}}");
    }

    /// <summary>
    /// The taints the scheduler sees on a node: its own, then, as the node lifecycle controller adds them from
    /// the Ready condition, <c>not-ready</c> (Ready False or missing) or <c>unreachable</c> (Ready Unknown) with
    /// effect <c>NoSchedule</c>, unless the node carries that taint already.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <returns>The taints.</returns>
    public static IReadOnlyList<V1Taint> EffectiveTaints(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var taints = new List<V1Taint>(node.Spec?.Taints ?? []);
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
        var conditionTaint = ready switch
        {
            "True" => null,
            "Unknown" => UnreachableKey,
            _ => NotReadyKey,
        };
        if (conditionTaint is not null && !taints.Any(t => t.Key == conditionTaint && t.Effect == "NoSchedule"))
        {
            taints.Add(new V1Taint { Key = conditionTaint, Effect = "NoSchedule" });
        }

        return taints;
    }

    /// <summary>Whether a toleration tolerates a taint (core/v1 <c>Toleration.ToleratesTaint</c>).</summary>
    /// <param name="toleration">The toleration.</param>
    /// <param name="taint">The taint.</param>
    /// <returns>
    /// <see langword="true"/> if the effects match (an empty effect matches all), the keys match (an empty key
    /// matches all), and either the operator is <c>Exists</c> or the values are equal (<c>Equal</c>, the default).
    /// </returns>
    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        ArgumentNullException.ThrowIfNull(toleration);
        ArgumentNullException.ThrowIfNull(taint);
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            "Equal" or "" or null => (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty),
            _ => false,
        };
    }
}
