using k8s.Models;

namespace DurableKube.Domain.ReplicaSets;

/// <summary>What one sync of a ReplicaSet does.</summary>
/// <param name="Adopt">Orphans its selector matches, to adopt.</param>
/// <param name="Release">Pods it controls that its selector no longer matches, to release.</param>
/// <param name="Active">The pods it controls that count as replicas (not finished, not being deleted), adopted ones included.</param>
/// <param name="Create">How many pods to create (at most <see cref="Controllers.SlowStart.BurstReplicas"/>).</param>
/// <param name="Delete">The pods to delete, in Kubernetes' deletion order (at most <see cref="Controllers.SlowStart.BurstReplicas"/>).</param>
public sealed record ReplicaSetPlan(
    IReadOnlyList<V1Pod> Adopt,
    IReadOnlyList<V1Pod> Release,
    IReadOnlyList<V1Pod> Active,
    int Create,
    IReadOnlyList<V1Pod> Delete);
