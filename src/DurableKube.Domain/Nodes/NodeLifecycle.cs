using DurableKube.Domain.Scheduling;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Nodes;

/// <summary>
/// The decisions of Kubernetes' node lifecycle controller (pkg/controller/nodelifecycle) and its taint-based eviction
/// (pkg/controller/tainteviction), as pure functions: when a node whose kubelet stopped reporting turns Ready=Unknown,
/// which taints its Ready condition and <c>spec.unschedulable</c> give it, which of its pods turn Ready=False, and when
/// each pod on a <c>NoExecute</c>-tainted node is deleted.
/// </summary>
public static class NodeLifecycle
{
    /// <summary>How long a node may stay silent before it is Unknown (<c>--node-monitor-grace-period</c>).</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(40);

    /// <summary>The reason of a condition the controller turned Unknown.</summary>
    public const string StatusUnknownReason = "NodeStatusUnknown";

    /// <summary>The message of a condition the controller turned Unknown.</summary>
    public const string StatusUnknownMessage = "Kubelet stopped posting node status.";

    /// <summary>The reason of a node's Ready condition when its kubelet never reported.</summary>
    public const string StatusNeverUpdatedReason = "NodeStatusNeverUpdated";

    /// <summary>The message of a node's Ready condition when its kubelet never reported.</summary>
    public const string StatusNeverUpdatedMessage = "Kubelet never posted node status.";

    /// <summary>The pod condition the taint manager and the Eviction API add before they delete a pod.</summary>
    public const string DisruptionTarget = "DisruptionTarget";

    /// <summary>The <see cref="DisruptionTarget"/> reason of a pod deleted for a NoExecute taint.</summary>
    public const string DeletionByTaintManager = "DeletionByTaintManager";

    /// <summary>The <see cref="DisruptionTarget"/> message of a pod deleted for a NoExecute taint.</summary>
    public const string DeletionByTaintManagerMessage = "Taint manager: deleting due to NoExecute taint";

    private static readonly string[] ManagedKeys = [TaintToleration.NotReadyKey, TaintToleration.UnreachableKey, TaintToleration.UnschedulableKey];

    /// <summary>The last time the node's kubelet reported: the latest heartbeat of its conditions.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The time, or <see langword="null"/> if it never reported.</returns>
    public static DateTimeOffset? LastHeartbeat(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var times = (node.Status?.Conditions ?? [])
            .Select(c => c.LastHeartbeatTime)
            .Where(t => t is not null)
            .Select(t => KubeTime.ToInstant(t!.Value))
            .ToList();
        return times.Count == 0 ? null : times.Max();
    }

    /// <summary>The status of the node's Ready condition: <c>True</c>, <c>False</c> or <c>Unknown</c> (also when missing).</summary>
    /// <param name="node">The node.</param>
    /// <returns>The status.</returns>
    public static string ReadyStatus(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Status?.Conditions?.LastOrDefault(c => c.Type == "Ready")?.Status is { Length: > 0 } status ? status : "Unknown";
    }

    /// <summary>
    /// Whether the node's kubelet has been silent longer than the grace period and the node is not Unknown yet. Only a node
    /// that holds pods is judged: an empty node's agent may rest without reporting (the Functions app observes a node only
    /// while pods are bound to it), and nothing on it would be evicted.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="holdsPods">Whether pods that have not finished are bound to it.</param>
    /// <param name="now">The present.</param>
    /// <param name="grace">The grace period.</param>
    /// <returns>Whether to mark it Unknown now.</returns>
    public static bool IsSilent(V1Node node, bool holdsPods, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!holdsPods || node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "Unknown") == true)
        {
            return false;
        }

        return LastHeartbeat(node) is not { } last || last + grace <= now;
    }

    /// <summary>
    /// Turns every condition of the node Unknown, as the controller does for a silent kubelet (its heartbeat times kept,
    /// the transition now); a node with no Ready condition gets one saying its kubelet never reported.
    /// </summary>
    /// <param name="node">The node, changed in place.</param>
    /// <param name="now">The present.</param>
    public static void MarkUnknown(V1Node node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Status ??= new V1NodeStatus();
        var conditions = node.Status.Conditions ??= [];
        var at = KubeTime.Truncate(now);
        if (!conditions.Any(c => c.Type == "Ready"))
        {
            conditions.Add(new V1NodeCondition
            {
                Type = "Ready", Status = "Unknown", Reason = StatusNeverUpdatedReason, Message = StatusNeverUpdatedMessage,
                LastHeartbeatTime = at, LastTransitionTime = at,
            });
        }

        foreach (var condition in conditions.Where(c => c.Status != "Unknown"))
        {
            condition.Status = "Unknown";
            condition.Reason = StatusUnknownReason;
            condition.Message = StatusUnknownMessage;
            condition.LastTransitionTime = at;
        }
    }

    /// <summary>
    /// The taints the node should carry: its own taints that the controller does not manage, then <c>not-ready</c>
    /// (Ready False) or <c>unreachable</c> (Ready Unknown) with effects NoSchedule and NoExecute, and <c>unschedulable</c>
    /// NoSchedule for a cordoned node. A NoExecute taint keeps the <c>timeAdded</c> it has, or gets <paramref name="now"/>.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="now">The present.</param>
    /// <returns>The taints, in a stable order.</returns>
    public static IReadOnlyList<V1Taint> Taints(V1Node node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        var current = node.Spec?.Taints ?? [];
        var wanted = new List<V1Taint>();
        foreach (var taint in current.Where(t => !ManagedKeys.Contains(t.Key)))
        {
            wanted.Add(Stamped(taint, now));
        }

        var conditionKey = ReadyStatus(node) switch
        {
            "True" => null,
            "False" => TaintToleration.NotReadyKey,
            _ => TaintToleration.UnreachableKey,
        };
        if (conditionKey is not null)
        {
            wanted.Add(Existing(current, conditionKey, "NoSchedule") ?? new V1Taint { Key = conditionKey, Effect = "NoSchedule" });
            wanted.Add(Stamped(Existing(current, conditionKey, "NoExecute") ?? new V1Taint { Key = conditionKey, Effect = "NoExecute" }, now));
        }

        if (node.Spec?.Unschedulable == true)
        {
            wanted.Add(Existing(current, TaintToleration.UnschedulableKey, "NoSchedule") ?? new V1Taint { Key = TaintToleration.UnschedulableKey, Effect = "NoSchedule" });
        }

        return wanted;
    }

    /// <summary>Whether two lists hold the same taints (key, value, effect and time added).</summary>
    /// <param name="a">One list.</param>
    /// <param name="b">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool SameTaints(IEnumerable<V1Taint>? a, IEnumerable<V1Taint>? b) =>
        (a ?? []).Select(Identity).SequenceEqual((b ?? []).Select(Identity));

    /// <summary>
    /// When the taint manager deletes a pod from a node with these taints: never if no NoExecute taint is there or every one
    /// is tolerated without <c>tolerationSeconds</c>; at once if one is not tolerated; else the smallest
    /// <c>tolerationSeconds</c> of the tolerations used, counted from when the first NoExecute taint was added.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="taints">The node's taints.</param>
    /// <param name="now">The present, for taints without a time added.</param>
    /// <returns>When to delete it, or <see langword="null"/> for never.</returns>
    public static DateTimeOffset? EvictionTime(V1Pod pod, IEnumerable<V1Taint> taints, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(taints);
        var noExecute = taints.Where(t => t.Effect == "NoExecute").ToList();
        if (noExecute.Count == 0)
        {
            return null;
        }

        var tolerations = pod.Spec?.Tolerations ?? [];
        var used = new List<V1Toleration>();
        foreach (var taint in noExecute)
        {
            var toleration = tolerations.FirstOrDefault(t => TaintToleration.Tolerates(t, taint));
            if (toleration is null)
            {
                return now;
            }

            used.Add(toleration);
        }

        var seconds = used.Where(t => t.TolerationSeconds is not null).Select(t => Math.Max(0, t.TolerationSeconds!.Value)).ToList();
        if (seconds.Count == 0)
        {
            return null;
        }

        var start = noExecute.Select(t => t.TimeAdded is { } added ? KubeTime.ToInstant(added) : now).Min();
        return start + TimeSpan.FromSeconds(seconds.Min());
    }

    /// <summary>Turns the pod's Ready condition False, as the controller does to the pods of a node that is not Ready.</summary>
    /// <param name="pod">The pod, changed in place.</param>
    /// <param name="now">The present.</param>
    /// <returns>Whether it changed.</returns>
    public static bool MarkPodNotReady(V1Pod pod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready is null || ready.Status == "False")
        {
            return false;
        }

        ready.Status = "False";
        ready.LastTransitionTime = KubeTime.Truncate(now);
        return true;
    }

    /// <summary>
    /// Once the node is Ready again, gives the pod back the Ready its containers say (<c>ContainersReady</c>, and every
    /// readiness gate True), as its kubelet's next status would: only a pod whose Ready is False while those say True.
    /// </summary>
    /// <param name="pod">The pod, changed in place.</param>
    /// <param name="now">The present.</param>
    /// <returns>Whether it changed.</returns>
    public static bool RestorePodReady(V1Pod pod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var conditions = pod.Status?.Conditions ?? [];
        var ready = conditions.FirstOrDefault(c => c.Type == "Ready");
        if (ready is null || ready.Status != "False" || Finished(pod) || pod.Metadata?.DeletionTimestamp is not null
            || conditions.FirstOrDefault(c => c.Type == "ContainersReady")?.Status != "True"
            || (pod.Spec?.ReadinessGates ?? []).Any(g => conditions.FirstOrDefault(c => c.Type == g.ConditionType)?.Status != "True"))
        {
            return false;
        }

        ready.Status = "True";
        ready.Reason = null;
        ready.Message = null;
        ready.LastTransitionTime = KubeTime.Truncate(now);
        return true;
    }

    /// <summary>Adds (or refreshes) the pod's <c>DisruptionTarget</c> condition, as an eviction does before it deletes the pod.</summary>
    /// <param name="pod">The pod, changed in place.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="message">The message.</param>
    /// <param name="now">The present.</param>
    /// <returns>Whether it changed.</returns>
    public static bool MarkDisruptionTarget(V1Pod pod, string reason, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        pod.Status ??= new V1PodStatus();
        var conditions = pod.Status.Conditions ??= [];
        var existing = conditions.FirstOrDefault(c => c.Type == DisruptionTarget);
        if (existing is { Status: "True" } && existing.Reason == reason)
        {
            return false;
        }

        if (existing is not null)
        {
            conditions.Remove(existing);
        }

        conditions.Add(new V1PodCondition
        {
            Type = DisruptionTarget, Status = "True", Reason = reason, Message = message, LastTransitionTime = KubeTime.Truncate(now),
        });
        return true;
    }

    /// <summary>Whether the pod has finished (Succeeded or Failed): it holds nothing on its node.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Whether it finished.</returns>
    public static bool Finished(V1Pod pod) => pod?.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>
    /// Plans one sync of a node: whether to mark it Unknown, the taints it should carry, which of its pods turn Ready=False
    /// or Ready again, which are deleted now, and when to look again (the end of the grace period, the next eviction).
    /// </summary>
    /// <param name="node">The node as stored.</param>
    /// <param name="pods">The pods bound to it.</param>
    /// <param name="now">The present.</param>
    /// <param name="grace">The grace period.</param>
    /// <returns>The plan.</returns>
    public static NodeLifecyclePlan Plan(V1Node node, IReadOnlyList<V1Pod> pods, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(pods);
        var holdsPods = pods.Any(p => !Finished(p));
        var markUnknown = IsSilent(node, holdsPods, now, grace);
        var judged = KubeJson.Clone(node);
        if (markUnknown)
        {
            MarkUnknown(judged, now);
        }

        var taints = Taints(judged, now);
        var ready = ReadyStatus(judged) == "True";
        var notReady = new List<string>();
        var readyAgain = new List<string>();
        var evict = new List<string>();
        DateTimeOffset? requeue = null;
        foreach (var pod in pods)
        {
            var name = pod.Metadata.Name;
            var probe = KubeJson.Clone(pod);
            if (!ready && !Finished(pod) && MarkPodNotReady(probe, now))
            {
                notReady.Add(name);
            }
            else if (ready && RestorePodReady(probe, now))
            {
                readyAgain.Add(name);
            }

            if (pod.Metadata.DeletionTimestamp is not null || EvictionTime(pod, taints, now) is not { } at)
            {
                continue;
            }

            if (at <= now)
            {
                evict.Add(name);
            }
            else
            {
                requeue = Earliest(requeue, at);
            }
        }

        if (holdsPods && ReadyStatus(judged) != "Unknown")
        {
            requeue = Earliest(requeue, (LastHeartbeat(judged) ?? now) + grace);
        }

        return new NodeLifecyclePlan(
            markUnknown,
            SameTaints(node.Spec?.Taints, taints) ? null : taints,
            notReady,
            readyAgain,
            evict,
            requeue);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private static V1Taint? Existing(IEnumerable<V1Taint> taints, string key, string effect) =>
        taints.FirstOrDefault(t => t.Key == key && t.Effect == effect);

    private static V1Taint Stamped(V1Taint taint, DateTimeOffset now) =>
        taint.Effect == "NoExecute" && taint.TimeAdded is null
            ? new V1Taint { Key = taint.Key, Value = taint.Value, Effect = taint.Effect, TimeAdded = KubeTime.Truncate(now) }
            : taint;

    private static (string, string, string, DateTimeOffset?) Identity(V1Taint taint) =>
        (taint.Key, taint.Value ?? string.Empty, taint.Effect, taint.TimeAdded is { } added ? KubeTime.ToInstant(added) : null);
}
