using DurableKube.Domain.Events;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Deployments;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Ports.Events;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Deployments;

/// <summary>
/// One sync of a Deployment (<c>syncDeployment</c>): reads it, the ReplicaSets of its namespace and, for Recreate, its
/// pods; lets <see cref="DeploymentSync"/> decide; adopts and releases ReplicaSets, creates the new one, scales and
/// annotates the others, deletes those beyond the revision history, and writes the status with the revision annotation.
/// Idempotent by construction: the new ReplicaSet's name is derived from the template's hash, and every sync finds it
/// by its template, so a sync retried after a crash between creating it and writing the status makes no second one.
/// </summary>
public sealed class SyncDeploymentActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncDeployment";

    /// <summary>How long to wait before trying again after creating the new ReplicaSet failed.</summary>
    public static readonly TimeSpan FailureRetry = TimeSpan.FromSeconds(10);

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncDeploymentActivity> _logger;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncDeploymentActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the controller's events go; none if not given.</param>
    public SyncDeploymentActivity(ObjectRegistry registry, TimeProvider time, ILogger<SyncDeploymentActivity> logger, IEventRecorder? events = null)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        _events = events ?? NullEventRecorder.Instance;
    }

    /// <summary>The component the controller's events name.</summary>
    public const string Component = "deployment-controller";

    /// <summary>Syncs the Deployment once.</summary>
    /// <param name="reference">The Deployment.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    public async Task<ControllerSyncResult> RunAsync(ControllerRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var deployment = await _registry.GetAsync<V1Deployment>(ResourceTypes.Deployments, reference.Namespace, reference.Name, cancellationToken);
        if (deployment?.Metadata.Uid != reference.Uid)
        {
            return ControllerSyncResult.ObjectGone;
        }

        var now = _time.GetUtcNow();
        var replicaSets = await _registry.ListAsync<V1ReplicaSet>(ResourceTypes.ReplicaSets, reference.Namespace, cancellationToken: cancellationToken);
        var pods = RollingUpdateBounds.IsRolling(deployment)
            ? null
            : await _registry.ListAsync<V1Pod>(ResourceTypes.Pods, reference.Namespace, cancellationToken: cancellationToken);
        var plan = DeploymentSync.Plan(deployment, replicaSets, pods, now);
        var controllerRef = OwnerReferences.NewControllerRef(ResourceTypes.Deployments.ApiVersion, ResourceTypes.Deployments.Kind, deployment.Metadata);
        foreach (var rs in plan.Adopt)
        {
            await _registry.ClaimAsync(ResourceTypes.ReplicaSets, rs.Metadata, controllerRef, cancellationToken);
        }

        foreach (var rs in plan.Release)
        {
            await _registry.ClaimAsync(ResourceTypes.ReplicaSets, rs.Metadata, adopt: null, cancellationToken);
        }

        var status = plan.Status;
        var requeue = plan.RequeueAt;
        if (plan.Create is { } newRs)
        {
            var (outcome, error) = await CreateAsync(deployment, newRs, cancellationToken);
            switch (outcome)
            {
                case CreateOutcome.Collision:
                    // Another object holds the name: count the collision, so the next sync hashes to another name.
                    var counted = KubeJson.Clone(deployment.Status ?? new V1DeploymentStatus());
                    counted.CollisionCount = (counted.CollisionCount ?? 0) + 1;
                    var collision = $"Found a hash collision for deployment {reference.Name} - bumping collisionCount ({counted.CollisionCount - 1}->{counted.CollisionCount}) to resolve it";
                    Log.DeploymentWarning(_logger, reference.Namespace ?? string.Empty, reference.Name, "HashCollision", collision);
                    _events.Record(new EventReport(Component, null, EventReport.Reference(deployment), EventReport.Warning, "HashCollision", collision));
                    await WriteStatusAsync(deployment, counted, revision: null, cancellationToken);
                    return new ControllerSyncResult(Gone: false, MoreWork: true);
                case CreateOutcome.Failed:
                    status = KubeJson.Clone(deployment.Status ?? new V1DeploymentStatus());
                    DeploymentConditions.SetCreateFailed(deployment, status, newRs.Metadata.Name, error!, now);
                    Log.DeploymentWarning(_logger, reference.Namespace ?? string.Empty, reference.Name, DeploymentConditions.ReplicaSetCreateError, error!);
                    _events.Record(new EventReport(Component, null, EventReport.Reference(deployment), EventReport.Warning, DeploymentConditions.ReplicaSetCreateError, error!));
                    await WriteStatusAsync(deployment, status, revision: null, cancellationToken);
                    return new ControllerSyncResult(Gone: false, RequeueAt: now + FailureRetry);
            }
        }

        foreach (var rs in plan.Update)
        {
            await UpdateReplicaSetAsync(rs, cancellationToken);
        }

        foreach (var rs in plan.Delete)
        {
            await DeleteReplicaSetAsync(rs, cancellationToken);
        }

        foreach (var (reason, message) in plan.Events)
        {
            Log.DeploymentEvent(_logger, reference.Namespace ?? string.Empty, reference.Name, reason, message);
            _events.Record(new EventReport(Component, null, EventReport.Reference(deployment), EventReport.Normal, reason, message));
        }

        await WriteStatusAsync(deployment, status, plan.Revision, cancellationToken);
        return new ControllerSyncResult(Gone: false, RequeueAt: requeue);
    }

    private async Task<(CreateOutcome Outcome, string? Error)> CreateAsync(V1Deployment deployment, V1ReplicaSet rs, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.CreateAsync(ResourceTypes.ReplicaSets, rs, cancellationToken: cancellationToken);
            return (CreateOutcome.Created, null);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
        {
            // Made by an earlier try of this sync, or another object with the name: a hash collision.
            var existing = await _registry.GetAsync<V1ReplicaSet>(ResourceTypes.ReplicaSets, rs.Metadata.NamespaceProperty, rs.Metadata.Name, cancellationToken);
            return existing is not null && DeploymentSync.IsNewReplicaSet(deployment, existing) ? (CreateOutcome.Created, null) : (CreateOutcome.Collision, null);
        }
        catch (Exception e) when (e is ObjectRejectedException or StoreException)
        {
            return (CreateOutcome.Failed, e.Message);
        }
    }

    /// <summary>Brings a ReplicaSet's replicas, minReadySeconds and the planned annotations to what the plan says, if it is still the one planned on.</summary>
    private async Task UpdateReplicaSetAsync(V1ReplicaSet planned, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.UpdateAsync(new ObjectKey(ResourceTypes.ReplicaSets, planned.Metadata.NamespaceProperty, planned.Metadata.Name), obj =>
            {
                var current = (V1ReplicaSet)obj;
                current.Spec.Replicas = planned.Spec.Replicas;
                current.Spec.MinReadySeconds = planned.Spec.MinReadySeconds;
                var annotations = current.Metadata.Annotations ??= new Dictionary<string, string>();
                foreach (var (key, value) in planned.Metadata.Annotations ?? new Dictionary<string, string>())
                {
                    annotations[key] = value;
                }

                return current;
            }, new UpdateOptions(Preconditions: new Preconditions(Uid: planned.Metadata.Uid)), cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone or replaced: the next sync starts again from what is stored.
        }
    }

    private async Task DeleteReplicaSetAsync(V1ReplicaSet rs, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.DeleteAsync(
                new ObjectKey(ResourceTypes.ReplicaSets, rs.Metadata.NamespaceProperty, rs.Metadata.Name),
                DeleteOptions.ForUid(rs.Metadata.Uid) with { PropagationPolicy = PropagationPolicy.Background },
                cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already.
        }
    }

    private Task<bool> WriteStatusAsync(V1Deployment deployment, V1DeploymentStatus status, string? revision, CancellationToken cancellationToken) =>
        _registry.WriteStatusAsync<V1Deployment>(ResourceTypes.Deployments, deployment.Metadata, current =>
        {
            // The revision annotation is written with the status, as Kubernetes' controller does.
            var annotations = current.Metadata.Annotations;
            var revisionChanged = revision is not null && (annotations is null || !annotations.TryGetValue(DeploymentAnnotations.Revision, out var had) || had != revision);
            if (revisionChanged)
            {
                (current.Metadata.Annotations ??= new Dictionary<string, string>())[DeploymentAnnotations.Revision] = revision!;
            }

            return ControllerWrites.Replace(current.Status ?? new V1DeploymentStatus(), status, s => current.Status = s) || revisionChanged;
        }, cancellationToken);

    /// <summary>How creating the new ReplicaSet went.</summary>
    private enum CreateOutcome
    {
        /// <summary>Created now, or by an earlier try.</summary>
        Created,

        /// <summary>Another object holds its name.</summary>
        Collision,

        /// <summary>Refused or not stored.</summary>
        Failed,
    }
}
