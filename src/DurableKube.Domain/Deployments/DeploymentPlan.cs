using k8s.Models;

namespace DurableKube.Domain.Deployments;

/// <summary>What one sync of a Deployment does, in the order the controller does it.</summary>
/// <param name="Adopt">Orphan ReplicaSets its selector matches, to adopt.</param>
/// <param name="Release">ReplicaSets it controls that its selector no longer matches, to release.</param>
/// <param name="Create">The new ReplicaSet to create (named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>), or <see langword="null"/>.</param>
/// <param name="Update">
/// ReplicaSets it controls as they must become: their <c>spec.replicas</c>, <c>spec.minReadySeconds</c> and annotations
/// (revision, desired and max replicas, those copied from the Deployment).
/// </param>
/// <param name="Delete">Old ReplicaSets beyond <c>revisionHistoryLimit</c>, oldest revision first.</param>
/// <param name="Status">The Deployment's status after the sync.</param>
/// <param name="Revision">The value of the Deployment's <c>deployment.kubernetes.io/revision</c> annotation, when it changes.</param>
/// <param name="RequeueAt">When to look again though nothing changes (the progress deadline, old pods still stopping).</param>
/// <param name="Events">What Kubernetes would record as events, e.g. <c>ScalingReplicaSet</c>: reason and message.</param>
public sealed record DeploymentPlan(
    IReadOnlyList<V1ReplicaSet> Adopt,
    IReadOnlyList<V1ReplicaSet> Release,
    V1ReplicaSet? Create,
    IReadOnlyList<V1ReplicaSet> Update,
    IReadOnlyList<V1ReplicaSet> Delete,
    V1DeploymentStatus Status,
    string? Revision,
    DateTimeOffset? RequeueAt,
    IReadOnlyList<(string Reason, string Message)> Events);
