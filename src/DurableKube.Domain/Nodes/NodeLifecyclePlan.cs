using k8s.Models;

namespace DurableKube.Domain.Nodes;

/// <summary>What one sync of a node's lifecycle does.</summary>
/// <param name="MarkUnknown">Turn the node's conditions Unknown (its kubelet is silent past the grace period).</param>
/// <param name="Taints">The taints to store, or <see langword="null"/> when they are right already.</param>
/// <param name="PodsNotReady">Pods whose Ready condition turns False.</param>
/// <param name="PodsReadyAgain">Pods whose Ready condition turns True again (the node came back).</param>
/// <param name="Evict">Pods to delete now (a NoExecute taint they do not tolerate, or their toleration ran out).</param>
/// <param name="RequeueAt">When to look again even if nothing changes.</param>
public sealed record NodeLifecyclePlan(
    bool MarkUnknown,
    IReadOnlyList<V1Taint>? Taints,
    IReadOnlyList<string> PodsNotReady,
    IReadOnlyList<string> PodsReadyAgain,
    IReadOnlyList<string> Evict,
    DateTimeOffset? RequeueAt);
