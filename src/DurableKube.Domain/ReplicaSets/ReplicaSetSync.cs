using DurableKube.Domain.Controllers;
using DurableKube.Domain.Selectors;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.ReplicaSets;

/// <summary>
/// The ReplicaSet controller's decisions (pkg/controller/replicaset/replica_set.go: <c>syncReplicaSet</c>,
/// <c>manageReplicas</c>, <c>getPodsToDelete</c>, <c>calculateStatus</c>), as pure functions of the
/// ReplicaSet, the pods of its namespace and the time.
/// </summary>
public static class ReplicaSetSync
{
    /// <summary>The condition type a ReplicaSet shows when it cannot create or delete pods.</summary>
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>Decides one sync: claim, then create or delete towards <c>spec.replicas</c>.</summary>
    /// <param name="rs">The ReplicaSet.</param>
    /// <param name="pods">Every pod in its namespace (only active ones are claimed and counted).</param>
    /// <param name="now">The present.</param>
    /// <param name="related">
    /// The pods that rank a pod for deletion by how many of them share its node: the ReplicaSet's own active
    /// pods, or those of every ReplicaSet of its Deployment; <see langword="null"/> for its own.
    /// </param>
    /// <returns>
    /// The plan. A ReplicaSet being deleted adopts nothing and neither creates nor deletes pods; its
    /// status is still kept.
    /// </returns>
    public static ReplicaSetPlan Plan(V1ReplicaSet rs, IReadOnlyList<V1Pod> pods, DateTimeOffset now, IReadOnlyList<V1Pod>? related = null)
    {
        ArgumentNullException.ThrowIfNull(rs);
        ArgumentNullException.ThrowIfNull(pods);
        var selector = SelectorOf(rs);
        var deleting = rs.Metadata.DeletionTimestamp is not null;
        var adopt = new List<V1Pod>();
        var release = new List<V1Pod>();
        var owned = new List<V1Pod>();
        // Finished pods and pods being deleted are neither counted, adopted nor released (syncReplicaSet
        // filters the active pods before it claims them).
        foreach (var pod in pods.Where(PodConditions.IsActive))
        {
            switch (ControllerClaims.Claim(pod, rs.Metadata.Uid, deleting, selector))
            {
                case ClaimAction.Keep:
                    owned.Add(pod);
                    break;
                case ClaimAction.Adopt:
                    adopt.Add(pod);
                    owned.Add(pod);
                    break;
                case ClaimAction.Release:
                    release.Add(pod);
                    break;
            }
        }

        var active = owned;
        if (deleting)
        {
            return new ReplicaSetPlan(adopt, release, active, 0, []);
        }

        var diff = active.Count - Replicas(rs);
        if (diff < 0)
        {
            return new ReplicaSetPlan(adopt, release, active, Math.Min(-diff, SlowStart.BurstReplicas), []);
        }

        var delete = diff > 0
            ? PodDeletionOrder.Order(active, related ?? active, now).Take(Math.Min(diff, SlowStart.BurstReplicas)).ToList()
            : [];
        return new ReplicaSetPlan(adopt, release, active, 0, delete);
    }

    /// <summary>
    /// Computes a ReplicaSet's status from its active pods (<c>calculateStatus</c>): replicas, fully labeled,
    /// ready and available replicas, the observed generation, and the ReplicaFailure condition while creating
    /// or deleting pods fails.
    /// </summary>
    /// <param name="rs">The ReplicaSet.</param>
    /// <param name="active">Its active pods, as the sync found them.</param>
    /// <param name="failure">Why creating or deleting pods failed in this sync, or <see langword="null"/>.</param>
    /// <param name="now">The present.</param>
    /// <returns>The status, and when to look again for a pod that becomes available after <c>minReadySeconds</c>.</returns>
    public static (V1ReplicaSetStatus Status, DateTimeOffset? RecheckAt) Status(V1ReplicaSet rs, IReadOnlyList<V1Pod> active, string? failure, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rs);
        ArgumentNullException.ThrowIfNull(active);
        var minReady = rs.Spec?.MinReadySeconds ?? 0;
        var template = LabelSelector.FromLabelSelector(new V1LabelSelector { MatchLabels = rs.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>() });
        var status = rs.Status is null ? new V1ReplicaSetStatus() : KubeJson.Clone(rs.Status);
        status.Replicas = active.Count;
        status.FullyLabeledReplicas = active.Count(p => template.Matches(p.Metadata?.Labels));
        status.ReadyReplicas = active.Count(PodConditions.IsReady);
        status.AvailableReplicas = active.Count(p => PodConditions.IsAvailable(p, minReady, now));
        status.ObservedGeneration = rs.Metadata?.Generation;
        var conditions = (status.Conditions ?? []).Where(c => c.Type != ReplicaFailure || failure is not null).ToList();
        if (failure is not null && !conditions.Any(c => c.Type == ReplicaFailure))
        {
            var diff = active.Count - Replicas(rs);
            conditions.Add(new V1ReplicaSetCondition
            {
                Type = ReplicaFailure,
                Status = "True",
                Reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : null,
                Message = failure,
                LastTransitionTime = KubeTime.Truncate(now),
            });
        }

        status.Conditions = conditions.Count > 0 ? conditions : null;
        var recheck = active.Select(p => PodConditions.AvailableAt(p, minReady, now)).Where(t => t is not null).Min();
        return (status, recheck);
    }

    /// <summary>The ReplicaSet's desired replicas (defaulted to 1).</summary>
    /// <param name="rs">The ReplicaSet.</param>
    /// <returns>The count.</returns>
    public static int Replicas(V1ReplicaSet rs) => rs?.Spec?.Replicas ?? 1;

    /// <summary>The ReplicaSet's selector; one that cannot be read selects nothing (validation refuses it on write).</summary>
    /// <param name="rs">The ReplicaSet.</param>
    /// <returns>The selector.</returns>
    public static LabelSelector SelectorOf(V1ReplicaSet rs)
    {
        ArgumentNullException.ThrowIfNull(rs);
        try
        {
            return LabelSelector.FromLabelSelector(rs.Spec?.Selector);
        }
        catch (SelectorParseException)
        {
            return LabelSelector.Nothing;
        }
    }
}
