using DurableKube.Domain.Controllers;
using DurableKube.Domain.Events;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.ReplicaSets;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Events;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.ReplicaSets;

/// <summary>
/// One sync of a ReplicaSet (<c>syncReplicaSet</c>): reads it and the pods of its namespace, lets
/// <see cref="ReplicaSetSync"/> decide, adopts and releases, creates pods in slow-start batches or deletes
/// the ones to go first, and writes the status. Idempotent by construction: every sync starts from what the
/// store holds now, so a sync retried after a crash between creating a pod and returning sees that pod and
/// does not make another.
/// </summary>
public sealed class SyncReplicaSetActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncReplicaSet";

    /// <summary>How long to wait before trying again after creating or deleting pods failed.</summary>
    public static readonly TimeSpan FailureRetry = TimeSpan.FromSeconds(10);

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncReplicaSetActivity> _logger;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncReplicaSetActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the controller's events go; none if not given.</param>
    public SyncReplicaSetActivity(ObjectRegistry registry, TimeProvider time, ILogger<SyncReplicaSetActivity> logger, IEventRecorder? events = null)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        _events = events ?? NullEventRecorder.Instance;
    }

    /// <summary>The component the controller's events name.</summary>
    public const string Component = "replicaset-controller";

    /// <summary>Syncs the ReplicaSet once.</summary>
    /// <param name="reference">The ReplicaSet.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    public async Task<ControllerSyncResult> RunAsync(ControllerRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var rs = await _registry.GetAsync<V1ReplicaSet>(ResourceTypes.ReplicaSets, reference.Namespace, reference.Name, cancellationToken);
        if (rs?.Metadata.Uid != reference.Uid)
        {
            return ControllerSyncResult.ObjectGone;
        }

        var now = _time.GetUtcNow();
        var pods = await _registry.ListAsync<V1Pod>(ResourceTypes.Pods, reference.Namespace, cancellationToken: cancellationToken);
        var plan = ReplicaSetSync.Plan(rs, pods, now, await RelatedPodsAsync(rs, pods, cancellationToken));
        var controllerRef = OwnerReferences.NewControllerRef(ResourceTypes.ReplicaSets.ApiVersion, ResourceTypes.ReplicaSets.Kind, rs.Metadata);
        foreach (var pod in plan.Adopt)
        {
            await _registry.ClaimAsync(ResourceTypes.Pods, pod.Metadata, controllerRef, cancellationToken);
        }

        foreach (var pod in plan.Release)
        {
            await _registry.ClaimAsync(ResourceTypes.Pods, pod.Metadata, adopt: null, cancellationToken);
        }

        string? failure = null;
        if (plan.Create > 0)
        {
            failure = await CreatePodsAsync(rs, controllerRef, plan.Create, cancellationToken);
        }
        else if (plan.Delete.Count > 0)
        {
            failure = await DeletePodsAsync(rs, plan.Delete, cancellationToken);
        }

        var (status, recheckAt) = ReplicaSetSync.Status(rs, plan.Active, failure, now);
        await WriteStatusAsync(rs, status, cancellationToken);
        var requeue = failure is null ? recheckAt : now + FailureRetry;
        return new ControllerSyncResult(
            Gone: false,
            RequeueAt: requeue,
            MoreWork: failure is null && (plan.Create == SlowStart.BurstReplicas || plan.Delete.Count == SlowStart.BurstReplicas));
    }

    /// <summary>The pods that rank a pod for deletion: for a ReplicaSet of a Deployment, those of all its ReplicaSets.</summary>
    private async Task<IReadOnlyList<V1Pod>?> RelatedPodsAsync(V1ReplicaSet rs, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        if (OwnerReferences.ControllerOf(rs.Metadata) is not { } owner)
        {
            return null;
        }

        var siblings = await _registry.ListAsync<V1ReplicaSet>(
            ResourceTypes.ReplicaSets, rs.Metadata.NamespaceProperty, r => OwnerReferences.ControllerOf(r.Metadata)?.Uid == owner.Uid, cancellationToken);
        var uids = siblings.Select(s => s.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        return [.. pods.Where(p => OwnerReferences.ControllerOf(p.Metadata) is { } c && uids.Contains(c.Uid) && PodConditions.IsActive(p))];
    }

    /// <summary>Creates pods in slow-start batches, stopping after the first batch with a failure; returns the failure, if any.</summary>
    private async Task<string?> CreatePodsAsync(V1ReplicaSet rs, V1OwnerReference controllerRef, int count, CancellationToken cancellationToken)
    {
        var failure = await _registry.CreateInSlowStartBatchesAsync(
            count,
            _ => PodTemplates.NewPod(rs.Spec.Template, rs.Metadata.NamespaceProperty, rs.Metadata.Name, controllerRef),
            name =>
            {
                Log.ControllerCreatedPod(_logger, "ReplicaSet", rs.Metadata.NamespaceProperty, rs.Metadata.Name, name);
                _events.Record(new EventReport(Component, null, EventReport.Reference(rs), EventReport.Normal, "SuccessfulCreate", "Created pod: " + name));
            },
            cancellationToken);
        if (failure is not null)
        {
            Log.ControllerCreateFailed(_logger, "ReplicaSet", rs.Metadata.NamespaceProperty, rs.Metadata.Name, failure);
            _events.Record(new EventReport(Component, null, EventReport.Reference(rs), EventReport.Warning, "FailedCreate", "Error creating: " + failure));
        }

        return failure;
    }

    private Task<string?> DeletePodsAsync(V1ReplicaSet rs, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken) =>
        _registry.DeleteEachAsync(
            ResourceTypes.Pods,
            pods.Select(p => p.Metadata),
            name =>
            {
                Log.ControllerDeletedPod(_logger, "ReplicaSet", rs.Metadata.NamespaceProperty, rs.Metadata.Name, name);
                _events.Record(new EventReport(Component, null, EventReport.Reference(rs), EventReport.Normal, "SuccessfulDelete", "Deleted pod: " + name));
            },
            cancellationToken);

    private Task<bool> WriteStatusAsync(V1ReplicaSet rs, V1ReplicaSetStatus status, CancellationToken cancellationToken) =>
        _registry.WriteStatusAsync<V1ReplicaSet>(
            ResourceTypes.ReplicaSets, rs.Metadata, current => ControllerWrites.Replace(current.Status, status, s => current.Status = s), cancellationToken);
}
