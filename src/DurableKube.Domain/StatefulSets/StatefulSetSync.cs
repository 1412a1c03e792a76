using DurableKube.Domain.Controllers;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Selectors;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.StatefulSets;

/// <summary>
/// The StatefulSet controller's decisions (pkg/controller/statefulset/stateful_set_control.go: <c>updateStatefulSet</c>,
/// <c>processReplica</c>, <c>processCondemned</c>, <c>updateStatus</c>, <c>completeRollingUpdate</c>), as a pure function
/// of the set, the pods of its namespace, its current and update revisions and the time.
/// <list type="bullet">
/// <item>Pods are named <c>&lt;set&gt;-&lt;ordinal&gt;</c> for the ordinals <c>start .. start+replicas-1</c>; pods of other
/// ordinals are condemned.</item>
/// <item>OrderedReady: replicas are examined in ordinal order and the first that is missing, failed, terminating, not
/// Running and Ready, or not yet available stops the sync (a missing one is created first, a failed one deleted to
/// be made again once it is gone). Condemned pods go one at a time, the highest ordinal first, each once it is gone;
/// nothing is condemned while a replica is unhealthy.</item>
/// <item>Parallel: every missing replica is created and every condemned pod deleted in one sync.</item>
/// <item>RollingUpdate: once nothing above stopped the sync, the pod of the highest ordinal at or above the partition
/// that is not of the update revision is deleted (and made again of it), one at a time, each after the one before is
/// Running and Ready. OnDelete: pods are made of the update revision only when they are made again.</item>
/// </list>
/// </summary>
public static class StatefulSetSync
{
    /// <summary>The Parallel pod management policy.</summary>
    public const string Parallel = "Parallel";

    /// <summary>The OrderedReady pod management policy.</summary>
    public const string OrderedReady = "OrderedReady";

    /// <summary>The RollingUpdate update strategy.</summary>
    public const string RollingUpdate = "RollingUpdate";

    /// <summary>The OnDelete update strategy.</summary>
    public const string OnDelete = "OnDelete";

    /// <summary>Decides one sync.</summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="pods">Every pod of its namespace.</param>
    /// <param name="revisions">Its current and update revisions.</param>
    /// <param name="now">The present.</param>
    /// <returns>
    /// The plan. A StatefulSet being deleted adopts nothing and neither creates nor deletes pods (the garbage collector
    /// removes them); its status is still kept.
    /// </returns>
    public static StatefulSetPlan Plan(V1StatefulSet sts, IReadOnlyList<V1Pod> pods, RevisionPlan revisions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(revisions);
        var (adopt, release, owned) = Claim(sts, pods);
        var start = StatefulSetIdentity.StartOrdinal(sts);
        var count = StatefulSetIdentity.Replicas(sts);
        var replicas = new V1Pod?[count];
        var condemned = new List<V1Pod>();
        foreach (var pod in owned)
        {
            var ordinal = StatefulSetIdentity.OrdinalOf(sts.Metadata.Name, pod.Metadata.Name)!.Value;
            if (ordinal >= start && ordinal < start + count)
            {
                replicas[ordinal - start] = pod;
            }
            else
            {
                condemned.Add(pod);
            }
        }

        condemned.Sort((a, b) => Ordinal(sts, b).CompareTo(Ordinal(sts, a)));
        var minReady = sts.Spec?.MinReadySeconds ?? 0;
        var status = Status(sts, owned, revisions, minReady, now);
        var recheck = owned.Select(p => IsRunningAndReady(p) ? PodConditions.AvailableAt(p, minReady, now) : null).Where(t => t is not null).Min();
        var create = new List<V1Pod>();
        var delete = new List<V1Pod>();
        var relabel = new List<V1Pod>();
        if (sts.Metadata.DeletionTimestamp is null)
        {
            Act(sts, replicas, condemned, revisions, minReady, now, create, delete, relabel);
        }

        return new StatefulSetPlan(adopt, release, create, delete, relabel, status, recheck);
    }

    /// <summary>
    /// The status of the set (<c>updateStatus</c>, <c>completeRollingUpdate</c>) from its pods as the sync found them:
    /// replicas, ready, available, current and updated replicas, the revisions, the collision count and the observed
    /// generation. A rolling update whose pods are all updated and ready makes the update revision current.
    /// </summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="owned">The pods it controls whose names are of its ordinals.</param>
    /// <param name="revisions">Its revisions.</param>
    /// <param name="minReadySeconds">How long a pod must be ready to be available.</param>
    /// <param name="now">The present.</param>
    /// <returns>The status.</returns>
    public static V1StatefulSetStatus Status(V1StatefulSet sts, IReadOnlyList<V1Pod> owned, RevisionPlan revisions, int minReadySeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(revisions);
        var status = sts.Status is null ? new V1StatefulSetStatus() : KubeJson.Clone(sts.Status);
        status.ObservedGeneration = sts.Metadata.Generation;
        status.Replicas = owned.Count;
        status.ReadyReplicas = owned.Count(IsRunningAndReady);
        status.AvailableReplicas = owned.Count(p => IsRunningAndReady(p) && PodConditions.IsAvailable(p, minReadySeconds, now));
        var live = owned.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        status.CurrentReplicas = live.Count(p => StatefulSetIdentity.RevisionOf(p) == revisions.Current.Metadata.Name);
        status.UpdatedReplicas = live.Count(p => StatefulSetIdentity.RevisionOf(p) == revisions.Update.Metadata.Name);
        status.CurrentRevision = revisions.Current.Metadata.Name;
        status.UpdateRevision = revisions.Update.Metadata.Name;
        status.CollisionCount = revisions.CollisionCount;
        if (Strategy(sts) == RollingUpdate && status.UpdatedReplicas == status.Replicas && status.ReadyReplicas == status.Replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }

        return status;
    }

    /// <summary>The set's update strategy type (RollingUpdate by default).</summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <returns>The type.</returns>
    public static string Strategy(V1StatefulSet sts) => sts?.Spec?.UpdateStrategy?.Type ?? RollingUpdate;

    /// <summary>Whether the set creates and deletes pods without waiting (<c>allowsBurst</c>: the Parallel policy).</summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <returns>Whether it does.</returns>
    public static bool AllowsBurst(V1StatefulSet sts) => sts?.Spec?.PodManagementPolicy == Parallel;

    /// <summary>Whether a pod is Running and Ready (<c>isRunningAndReady</c>).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsRunningAndReady(V1Pod pod) => pod?.Status?.Phase == "Running" && PodConditions.IsReady(pod);

    /// <summary>Whether a pod is Running, Ready and not being deleted (<c>isHealthy</c>).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsHealthy(V1Pod pod) => IsRunningAndReady(pod) && pod.Metadata?.DeletionTimestamp is null;

    /// <summary>
    /// Claims the pods of the namespace (<c>getPodsForStatefulSet</c>): a pod is a candidate when the selector matches
    /// it and its name is of the set (<c>isMemberOf</c>).
    /// </summary>
    private static (List<V1Pod> Adopt, List<V1Pod> Release, List<V1Pod> Owned) Claim(V1StatefulSet sts, IReadOnlyList<V1Pod> pods)
    {
        var selector = SelectorOf(sts);
        var deleting = sts.Metadata.DeletionTimestamp is not null;
        var adopt = new List<V1Pod>();
        var release = new List<V1Pod>();
        var owned = new List<V1Pod>();
        foreach (var pod in pods)
        {
            var member = StatefulSetIdentity.OrdinalOf(sts.Metadata.Name, pod.Metadata?.Name) is not null;
            switch (ControllerClaims.Claim(pod, sts.Metadata.Uid, deleting, member ? selector : LabelSelector.Nothing))
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
                case ClaimAction.Ignore when member && OwnerReferences.ControllerOf(pod.Metadata)?.Uid == sts.Metadata.Uid:
                    // Ours and being deleted: it still holds its name.
                    owned.Add(pod);
                    break;
            }
        }

        return (adopt, release, owned);
    }

    /// <summary>The set's selector; one that cannot be read selects nothing (validation refuses it on write).</summary>
    private static LabelSelector SelectorOf(V1StatefulSet sts)
    {
        try
        {
            return LabelSelector.FromLabelSelector(sts.Spec?.Selector);
        }
        catch (SelectorParseException)
        {
            return LabelSelector.Nothing;
        }
    }

    private static int Ordinal(V1StatefulSet sts, V1Pod pod) => StatefulSetIdentity.OrdinalOf(sts.Metadata.Name, pod.Metadata.Name) ?? -1;

    private static void Act(
        V1StatefulSet sts,
        V1Pod?[] replicas,
        List<V1Pod> condemned,
        RevisionPlan revisions,
        int minReady,
        DateTimeOffset now,
        List<V1Pod> create,
        List<V1Pod> delete,
        List<V1Pod> relabel)
    {
        var monotonic = !AllowsBurst(sts);
        var start = StatefulSetIdentity.StartOrdinal(sts);
        var controllerRef = OwnerReferences.NewControllerRef(ResourceTypes.StatefulSets.ApiVersion, ResourceTypes.StatefulSets.Kind, sts.Metadata);

        // The replicas, in ordinal order.
        for (var i = 0; i < replicas.Length; i++)
        {
            var pod = replicas[i];
            if (pod is null)
            {
                create.Add(NewVersionedPod(sts, start + i, revisions, controllerRef));
                if (monotonic)
                {
                    return;
                }

                continue;
            }

            if (PodConditions.IsTerminal(pod))
            {
                // Made again under the same name once this one is gone.
                if (pod.Metadata.DeletionTimestamp is null)
                {
                    delete.Add(pod);
                }

                if (monotonic)
                {
                    return;
                }

                continue;
            }

            if (monotonic && (pod.Metadata.DeletionTimestamp is not null || !IsRunningAndReady(pod) || !PodConditions.IsAvailable(pod, minReady, now)))
            {
                return;
            }

            if (!StatefulSetIdentity.IdentityMatches(sts, pod) && pod.Metadata.DeletionTimestamp is null)
            {
                relabel.Add(pod);
            }
        }

        // The condemned, highest ordinal first.
        foreach (var pod in condemned)
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                if (monotonic)
                {
                    return;
                }

                continue;
            }

            delete.Add(pod);
            if (monotonic)
            {
                return;
            }
        }

        if (Strategy(sts) != RollingUpdate)
        {
            return;
        }

        // The rolling update: from the highest ordinal down to the partition, one pod at a time.
        var partition = sts.Spec?.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        if (sts.Spec?.UpdateStrategy?.RollingUpdate?.MaxUnavailable is { } maxUnavailable)
        {
            UpdateWithMaxUnavailable(replicas, revisions, partition, MaxUnavailable(maxUnavailable, replicas.Length), minReady, now, create, delete);
            return;
        }

        for (var target = replicas.Length - 1; target >= partition; target--)
        {
            var pod = replicas[target];
            if (pod is null || create.Any(p => p.Metadata.Name == StatefulSetIdentity.PodName(sts.Metadata.Name, start + target)))
            {
                return;
            }

            if (StatefulSetIdentity.RevisionOf(pod) != revisions.Update.Metadata.Name && pod.Metadata.DeletionTimestamp is null)
            {
                if (!delete.Contains(pod))
                {
                    delete.Add(pod);
                }

                return;
            }

            if (!IsHealthy(pod))
            {
                return;
            }
        }
    }

    /// <summary>
    /// <c>maxUnavailable</c> as a number of pods (<c>getStatefulSetMaxUnavailable</c>): a percentage of the replicas
    /// rounded down, and at least 1.
    /// </summary>
    /// <param name="value">The field's value: a number or a percentage.</param>
    /// <param name="replicas">The desired replicas.</param>
    /// <returns>The number.</returns>
    public static int MaxUnavailable(IntOrString value, int replicas)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Value ?? string.Empty;
        var number = text.EndsWith('%')
            ? int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent) ? percent * replicas / 100 : 1
            : int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : 1;
        return Math.Max(1, number);
    }

    /// <summary>
    /// A rolling update with <c>maxUnavailable</c> (<c>updateStatefulSetAfterInvariantEstablished</c>, Kubernetes'
    /// MaxUnavailableStatefulSet feature): counting the replicas that are missing, not healthy or not yet available,
    /// delete up to <c>maxUnavailable</c> less that many pods not of the update revision, from the highest ordinal down
    /// to the partition.
    /// </summary>
    private static void UpdateWithMaxUnavailable(
        V1Pod?[] replicas, RevisionPlan revisions, int partition, int maxUnavailable, int minReady, DateTimeOffset now, List<V1Pod> create, List<V1Pod> delete)
    {
        var unavailable = replicas.Count(p => p is null || delete.Contains(p) || create.Any(c => c.Metadata.Name == p.Metadata.Name)
            || !IsHealthy(p) || !PodConditions.IsAvailable(p, minReady, now));
        var budget = maxUnavailable - unavailable;
        for (var target = replicas.Length - 1; target >= partition && budget > 0; target--)
        {
            if (replicas[target] is { } pod && StatefulSetIdentity.RevisionOf(pod) != revisions.Update.Metadata.Name
                && pod.Metadata.DeletionTimestamp is null && !delete.Contains(pod))
            {
                delete.Add(pod);
                budget--;
            }
        }
    }

    /// <summary>
    /// The pod of an ordinal, of the revision it should have (<c>newVersionedStatefulSetPod</c>): below the partition of a
    /// rolling update, the current revision's; otherwise the update revision's.
    /// </summary>
    private static V1Pod NewVersionedPod(V1StatefulSet sts, int ordinal, RevisionPlan revisions, V1OwnerReference controllerRef)
    {
        var partition = sts.Spec?.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        var useCurrent = Strategy(sts) == RollingUpdate
            && revisions.Current.Metadata.Name != revisions.Update.Metadata.Name
            && ordinal < StatefulSetIdentity.StartOrdinal(sts) + partition;
        var revision = useCurrent ? revisions.Current : revisions.Update;
        var template = (useCurrent ? StatefulSetRevisions.TemplateOf(revisions.Current) : null) ?? sts.Spec?.Template ?? new V1PodTemplateSpec();
        return StatefulSetIdentity.NewPod(sts, template, ordinal, revision.Metadata.Name, controllerRef);
    }
}
