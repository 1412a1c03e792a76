using DurableKube.Domain.Events;
using DurableKube.Domain.Controllers;
using DurableKube.Domain.Jobs;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Ports.Events;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Jobs;

/// <summary>
/// One sync of a Job (<c>syncJob</c>): reads it and the pods of its namespace, lets <see cref="JobSync"/> decide, then
/// adopts and releases, records newly finished pods as uncounted, removes their tracking finalizers, deletes or creates
/// pods, writes the status with the counts, and deletes the Job once its TTL after finishing has passed. Idempotent: every
/// sync starts from what the store holds, so a sync cut short after creating a pod sees that pod next time, and one cut
/// short between recording a finished pod and counting it counts it once.
/// </summary>
public sealed class SyncJobActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncJob";

    /// <summary>How long to wait before trying again after creating, deleting or updating pods failed.</summary>
    public static readonly TimeSpan FailureRetry = TimeSpan.FromSeconds(10);

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncJobActivity> _logger;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncJobActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the controller's events go; none if not given.</param>
    public SyncJobActivity(ObjectRegistry registry, TimeProvider time, ILogger<SyncJobActivity> logger, IEventRecorder? events = null)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        _events = events ?? NullEventRecorder.Instance;
    }

    /// <summary>The component the controller's events name.</summary>
    public const string Component = "job-controller";

    /// <summary>Syncs the Job once.</summary>
    /// <param name="reference">The Job.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    public async Task<ControllerSyncResult> RunAsync(ControllerRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var pods = await _registry.ListAsync<V1Pod>(ResourceTypes.Pods, reference.Namespace, cancellationToken: cancellationToken);
        var job = await _registry.GetAsync<V1Job>(ResourceTypes.Jobs, reference.Namespace, reference.Name, cancellationToken);
        if (job?.Metadata.Uid != reference.Uid)
        {
            // Gone: its pods must not be held by a finalizer no one will remove.
            var orphans = pods.Where(p => OwnerReferences.ControllerOf(p.Metadata)?.Uid == reference.Uid && JobSync.HasFinalizer(p)).ToList();
            return await RemoveFinalizersAsync(orphans, cancellationToken) ? ControllerSyncResult.ObjectGone : new ControllerSyncResult(false, _time.GetUtcNow() + FailureRetry);
        }

        var now = _time.GetUtcNow();
        var plan = JobSync.Plan(job, pods, now);
        var controllerRef = OwnerReferences.NewControllerRef(ResourceTypes.Jobs.ApiVersion, ResourceTypes.Jobs.Kind, job.Metadata);
        foreach (var pod in plan.Adopt)
        {
            await _registry.ClaimAsync(ResourceTypes.Pods, pod.Metadata, controllerRef, cancellationToken, TrackOrLetGo);
        }

        foreach (var pod in plan.Release)
        {
            await _registry.ClaimAsync(ResourceTypes.Pods, pod.Metadata, adopt: null, cancellationToken, TrackOrLetGo);
        }

        if (plan.Interim is { } interim && !await WriteStatusAsync(job, interim, cancellationToken))
        {
            return new ControllerSyncResult(false, now + FailureRetry);
        }

        if (!await RemoveFinalizersAsync(plan.RemoveFinalizers, cancellationToken))
        {
            // The pods stay uncounted in the status; the next sync counts them.
            return new ControllerSyncResult(false, now + FailureRetry);
        }

        if (plan.DeleteJob)
        {
            await DeleteJobAsync(job, cancellationToken);
            return new ControllerSyncResult(false);
        }

        var failure = await DeletePodsAsync(job, plan.Delete, cancellationToken);
        if (failure is null && plan.Create > 0)
        {
            failure = await CreatePodsAsync(job, controllerRef, plan, cancellationToken);
        }

        if (failure is not null)
        {
            return new ControllerSyncResult(false, now + FailureRetry);
        }

        if (plan.Status is { } status && await WriteStatusAsync(job, status, cancellationToken))
        {
            RecordFinished(job, status);
        }

        return new ControllerSyncResult(
            Gone: false,
            RequeueAt: plan.RequeueAt,
            MoreWork: plan.Create == SlowStart.BurstReplicas || plan.Delete.Count == SlowStart.BurstReplicas);
    }

    /// <summary>The job controller's events when a Job finishes: Completed "Job completed", or the failure's reason and message.</summary>
    private void RecordFinished(V1Job job, V1JobStatus status)
    {
        var after = new V1Job { Status = status };
        if (JobConditions.IsTrue(after, JobConditions.Complete) && !JobConditions.IsTrue(job, JobConditions.Complete))
        {
            _events.Record(new EventReport(Component, null, EventReport.Reference(job), EventReport.Normal, "Completed", "Job completed"));
        }
        else if (JobConditions.IsTrue(after, JobConditions.Failed) && !JobConditions.IsTrue(job, JobConditions.Failed)
            && status.Conditions?.FirstOrDefault(c => c.Type == JobConditions.Failed) is { } failed)
        {
            _events.Record(new EventReport(Component, null, EventReport.Reference(job), EventReport.Warning, failed.Reason ?? "Failed", failed.Message ?? string.Empty));
        }
    }

    /// <summary>An adopted pod is tracked like the Job's own (the ref manager adds the finalizer); a released one is let go.</summary>
    private static void TrackOrLetGo(V1ObjectMeta meta, bool adopted) =>
        meta.Finalizers = adopted
            ? [.. (meta.Finalizers ?? []).Where(f => f != JobLabels.TrackingFinalizer), JobLabels.TrackingFinalizer]
            : meta.Finalizers?.Where(f => f != JobLabels.TrackingFinalizer).ToList();

    /// <summary>Removes the tracking finalizer from each pod; returns whether every removal is done.</summary>
    private async Task<bool> RemoveFinalizersAsync(IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                await _registry.UpdateAsync(new ObjectKey(ResourceTypes.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name), obj =>
                {
                    if (obj.Metadata.Finalizers?.Contains(JobLabels.TrackingFinalizer) != true)
                    {
                        return null;
                    }

                    obj.Metadata.Finalizers = [.. obj.Metadata.Finalizers.Where(f => f != JobLabels.TrackingFinalizer)];
                    return obj;
                }, new UpdateOptions(Preconditions: new Preconditions(Uid: pod.Metadata.Uid)), cancellationToken);
                return true;
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound)
            {
                return true;
            }
            catch (Exception e) when (e is ObjectRejectedException or StoreException)
            {
                Log.JobFinalizerFailed(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, e.Message);
                return false;
            }
        }));
        return results.All(r => r);
    }

    private async Task<string?> CreatePodsAsync(V1Job job, V1OwnerReference controllerRef, JobPlan plan, CancellationToken cancellationToken)
    {
        var failure = await _registry.CreateInSlowStartBatchesAsync(
            plan.Create,
            i => JobPods.NewPod(job, controllerRef, plan.CreateIndexes.Count > 0 ? plan.CreateIndexes[i] : null),
            name =>
            {
                Log.ControllerCreatedPod(_logger, "Job", job.Metadata.NamespaceProperty, job.Metadata.Name, name);
                _events.Record(new EventReport(Component, null, EventReport.Reference(job), EventReport.Normal, "SuccessfulCreate", "Created pod: " + name));
            },
            cancellationToken);
        if (failure is not null)
        {
            Log.ControllerCreateFailed(_logger, "Job", job.Metadata.NamespaceProperty, job.Metadata.Name, failure);
            _events.Record(new EventReport(Component, null, EventReport.Reference(job), EventReport.Warning, "FailedCreate", "Error creating: " + failure));
        }

        return failure;
    }

    private Task<string?> DeletePodsAsync(V1Job job, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken) =>
        _registry.DeleteEachAsync(
            ResourceTypes.Pods,
            pods.Select(p => p.Metadata),
            name =>
            {
                Log.ControllerDeletedPod(_logger, "Job", job.Metadata.NamespaceProperty, job.Metadata.Name, name);
                _events.Record(new EventReport(Component, null, EventReport.Reference(job), EventReport.Normal, "SuccessfulDelete", "Deleted pod: " + name));
            },
            cancellationToken);

    private async Task DeleteJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            // As the TTL-after-finished controller deletes: in the foreground, so its pods go first.
            await _registry.DeleteAsync(
                new ObjectKey(ResourceTypes.Jobs, job.Metadata.NamespaceProperty, job.Metadata.Name),
                DeleteOptions.ForUid(job.Metadata.Uid) with { PropagationPolicy = Domain.Deletion.PropagationPolicy.Foreground },
                cancellationToken);
            Log.JobExpired(_logger, job.Metadata.NamespaceProperty, job.Metadata.Name);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already, or replaced.
        }
    }

    private Task<bool> WriteStatusAsync(V1Job job, V1JobStatus status, CancellationToken cancellationToken) =>
        _registry.WriteStatusAsync<V1Job>(
            ResourceTypes.Jobs, job.Metadata, current => ControllerWrites.Replace(current.Status, status, s => current.Status = s), cancellationToken);
}
