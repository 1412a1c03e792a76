using DurableKube.Domain.Events;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.StatefulSets;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Ports.Events;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.StatefulSets;

/// <summary>
/// One sync of a StatefulSet (<c>syncStatefulSet</c>): reads it, the pods and the ControllerRevisions of its namespace;
/// makes the revision of its template (<see cref="StatefulSetRevisions"/>); lets <see cref="StatefulSetSync"/> decide;
/// adopts and releases, restores identity labels, creates and deletes pods; writes the status; and trims the history.
/// Idempotent: every sync starts from what the store holds, and a pod's name is its ordinal, so a sync retried after a
/// crash between creating <c>web-0</c> and returning finds <c>web-0</c> (or meets AlreadyExists) and makes no second pod.
/// </summary>
public sealed class SyncStatefulSetActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncStatefulSet";

    /// <summary>How long to wait before trying again after a write failed.</summary>
    public static readonly TimeSpan FailureRetry = TimeSpan.FromSeconds(10);

    private const string Kind = "StatefulSet";

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncStatefulSetActivity> _logger;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncStatefulSetActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the controller's events go; none if not given.</param>
    public SyncStatefulSetActivity(ObjectRegistry registry, TimeProvider time, ILogger<SyncStatefulSetActivity> logger, IEventRecorder? events = null)
    {
        _events = events ?? NullEventRecorder.Instance;
        _registry = registry;
        _time = time;
        _logger = logger;
    }

    /// <summary>Syncs the StatefulSet once.</summary>
    /// <param name="reference">The StatefulSet.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    public async Task<ControllerSyncResult> RunAsync(ControllerRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var sts = await _registry.GetAsync<V1StatefulSet>(ResourceTypes.StatefulSets, reference.Namespace, reference.Name, cancellationToken);
        if (sts?.Metadata.Uid != reference.Uid)
        {
            return ControllerSyncResult.ObjectGone;
        }

        var now = _time.GetUtcNow();
        var pods = await _registry.ListAsync<V1Pod>(ResourceTypes.Pods, reference.Namespace, cancellationToken: cancellationToken);
        var allRevisions = await _registry.ListAsync<V1ControllerRevision>(ResourceTypes.ControllerRevisions, reference.Namespace, cancellationToken: cancellationToken);
        var owned = allRevisions.Where(r => OwnerReferences.ControllerOf(r.Metadata)?.Uid == sts.Metadata.Uid).ToList();
        var revisions = StatefulSetRevisions.Resolve(sts, owned, allRevisions);
        var deleting = sts.Metadata.DeletionTimestamp is not null;
        string? failure = null;
        if (!deleting && revisions.Action != RevisionAction.None)
        {
            failure = await MakeUpdateRevisionAsync(sts, revisions, cancellationToken);
            if (failure is not null)
            {
                Log.StatefulSetWarning(_logger, sts.Metadata.NamespaceProperty, sts.Metadata.Name, failure);
                return new ControllerSyncResult(Gone: false, RequeueAt: now + FailureRetry);
            }
        }

        var plan = StatefulSetSync.Plan(sts, pods, revisions, now);
        var controllerRef = OwnerReferences.NewControllerRef(ResourceTypes.StatefulSets.ApiVersion, ResourceTypes.StatefulSets.Kind, sts.Metadata);
        foreach (var pod in plan.Adopt)
        {
            await _registry.ClaimAsync(ResourceTypes.Pods, pod.Metadata, controllerRef, cancellationToken);
        }

        foreach (var pod in plan.Release)
        {
            await _registry.ClaimAsync(ResourceTypes.Pods, pod.Metadata, adopt: null, cancellationToken);
        }

        foreach (var pod in plan.Relabel)
        {
            await RelabelAsync(sts, pod, cancellationToken);
        }

        failure = await CreatePodsAsync(sts, plan.Create, cancellationToken) ?? await DeletePodsAsync(sts, plan.Delete, cancellationToken);
        await WriteStatusAsync(sts, plan.Status, cancellationToken);
        if (!deleting)
        {
            var kept = revisions.Action == RevisionAction.Create ? [.. owned, revisions.Update] : owned;
            await TrimHistoryAsync(sts, kept, pods, plan.Status, cancellationToken);
        }

        if (failure is not null)
        {
            Log.StatefulSetWarning(_logger, sts.Metadata.NamespaceProperty, sts.Metadata.Name, failure);
        }

        return new ControllerSyncResult(Gone: false, RequeueAt: failure is null ? plan.RecheckAt : now + FailureRetry);
    }

    /// <summary>Creates the update revision, or renumbers the older one that holds the template; returns the failure, if any.</summary>
    private async Task<string?> MakeUpdateRevisionAsync(V1StatefulSet sts, RevisionPlan revisions, CancellationToken cancellationToken)
    {
        var update = revisions.Update;
        try
        {
            if (revisions.Action == RevisionAction.Create)
            {
                await _registry.CreateAsync(ResourceTypes.ControllerRevisions, update, cancellationToken: cancellationToken);
                Log.StatefulSetCreatedRevision(_logger, sts.Metadata.NamespaceProperty, sts.Metadata.Name, update.Metadata.Name, update.Revision ?? 0);
                return null;
            }

            var key = new ObjectKey(ResourceTypes.ControllerRevisions, update.Metadata.NamespaceProperty, update.Metadata.Name);
            await _registry.UpdateAsync(key, obj =>
            {
                var stored = (V1ControllerRevision)obj;
                if (stored.Revision == update.Revision)
                {
                    return null;
                }

                stored.Revision = update.Revision;
                return stored;
            }, new UpdateOptions(Preconditions: new Preconditions(Uid: update.Metadata.Uid)), cancellationToken);
            return null;
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
        {
            // Made by an earlier try of this sync: the next sync finds it among the set's revisions.
            return await _registry.GetAsync<V1ControllerRevision>(ResourceTypes.ControllerRevisions, update.Metadata.NamespaceProperty, update.Metadata.Name, cancellationToken) is { } existing
                && OwnerReferences.ControllerOf(existing.Metadata)?.Uid == sts.Metadata.Uid
                && StatefulSetRevisions.Equal(existing, update)
                ? null
                : $"revision {update.Metadata.Name} exists and is not this StatefulSet's";
        }
        catch (Exception e) when (e is ObjectRejectedException or StoreException)
        {
            return $"could not make revision {update.Metadata.Name}: {e.Message}";
        }
    }

    /// <summary>Restores the identity labels of a pod that lacks them (<c>updateIdentity</c>), as an adopted pod may.</summary>
    private async Task RelabelAsync(V1StatefulSet sts, V1Pod pod, CancellationToken cancellationToken)
    {
        var key = new ObjectKey(ResourceTypes.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        try
        {
            await _registry.UpdateAsync(key, obj =>
            {
                var current = (V1Pod)obj;
                if (StatefulSetIdentity.IdentityMatches(sts, current) || StatefulSetIdentity.OrdinalOf(sts.Metadata.Name, current.Metadata.Name) is not { } ordinal)
                {
                    return null;
                }

                StatefulSetIdentity.ApplyIdentity(sts, current, ordinal);
                return current;
            }, new UpdateOptions(Preconditions: new Preconditions(Uid: pod.Metadata.Uid)), cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone or replaced meanwhile: the next sync sees what is there.
        }
    }

    /// <summary>Creates pods; a pod that already exists (made by an earlier try) is no failure. Returns the first failure, if any.</summary>
    private async Task<string?> CreatePodsAsync(V1StatefulSet sts, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                await _registry.CreateAsync(ResourceTypes.Pods, pod, cancellationToken: cancellationToken);
                Log.ControllerCreatedPod(_logger, Kind, sts.Metadata.NamespaceProperty, sts.Metadata.Name, pod.Metadata.Name);
                _events.Record(new EventReport(
                    Component, null, EventReport.Reference(sts), EventReport.Normal, "SuccessfulCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {sts.Metadata.Name} successful"));
                return null;
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
            {
                // An earlier try made it, or the last one of that name is still going: the next sync sees which.
                return null;
            }
            catch (ObjectRejectedException e) when (ControllerWrites.NamespaceTerminating(e))
            {
                // Its namespace is going, and it with it: nothing failed.
                return null;
            }
            catch (Exception e) when (e is ObjectRejectedException or StoreException)
            {
                Log.ControllerCreateFailed(_logger, Kind, sts.Metadata.NamespaceProperty, sts.Metadata.Name, e.Message);
                var failed = $"create Pod {pod.Metadata.Name} in StatefulSet {sts.Metadata.Name} failed error: {e.Message}";
                _events.Record(new EventReport(Component, null, EventReport.Reference(sts), EventReport.Warning, "FailedCreate", failed));
                return failed;
            }
        }));
        return results.FirstOrDefault(r => r is not null);
    }

    private Task<string?> DeletePodsAsync(V1StatefulSet sts, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken) =>
        _registry.DeleteEachAsync(
            ResourceTypes.Pods,
            pods.Select(p => p.Metadata),
            name =>
            {
                Log.ControllerDeletedPod(_logger, Kind, sts.Metadata.NamespaceProperty, sts.Metadata.Name, name);
                _events.Record(new EventReport(
                    Component, null, EventReport.Reference(sts), EventReport.Normal, "SuccessfulDelete", $"delete Pod {name} in StatefulSet {sts.Metadata.Name} successful"));
            },
            cancellationToken,
            (pod, e) => $"delete Pod {pod.Name} in StatefulSet {sts.Metadata.Name} failed error: {e.Message}");

    /// <summary>The component the controller's events name.</summary>
    public const string Component = "statefulset-controller";

    private Task<bool> WriteStatusAsync(V1StatefulSet sts, V1StatefulSetStatus status, CancellationToken cancellationToken) =>
        _registry.WriteStatusAsync<V1StatefulSet>(
            ResourceTypes.StatefulSets, sts.Metadata, current => ControllerWrites.Replace(current.Status, status, s => current.Status = s), cancellationToken);

    /// <summary>Deletes the oldest revisions no pod, nor the current or update revision, uses beyond the history limit.</summary>
    private async Task TrimHistoryAsync(V1StatefulSet sts, IReadOnlyList<V1ControllerRevision> owned, IReadOnlyList<V1Pod> pods, V1StatefulSetStatus status, CancellationToken cancellationToken)
    {
        var ownPods = pods.Where(p => OwnerReferences.ControllerOf(p.Metadata)?.Uid == sts.Metadata.Uid).ToList();
        foreach (var revision in StatefulSetRevisions.ToTrim(sts, owned, ownPods, status.CurrentRevision ?? string.Empty, status.UpdateRevision ?? string.Empty))
        {
            try
            {
                await _registry.DeleteAsync(
                    new ObjectKey(ResourceTypes.ControllerRevisions, revision.Metadata.NamespaceProperty, revision.Metadata.Name), DeleteOptions.ForUid(revision.Metadata.Uid), cancellationToken);
                Log.StatefulSetTrimmedRevision(_logger, sts.Metadata.NamespaceProperty, sts.Metadata.Name, revision.Metadata.Name);
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
            {
                // Gone already.
            }
        }
    }
}
