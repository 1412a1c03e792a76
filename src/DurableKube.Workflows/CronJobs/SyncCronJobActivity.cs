using DurableKube.Domain.Events;
using DurableKube.Domain.CronJobs;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Ports.Events;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.CronJobs;

/// <summary>
/// One sync of a CronJob (<c>syncCronJob</c>): reads it and its Jobs, lets <see cref="CronJobSync"/> decide, deletes the
/// Jobs a Replace policy or the history limits remove, creates the Job of the scheduled time that is due, and writes the
/// status. The Job's name is derived from the scheduled time, so a sync retried after a crash between creating the Job
/// and writing the status finds it (AlreadyExists) and records it instead of making a second one.
/// </summary>
public sealed class SyncCronJobActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncCronJob";

    /// <summary>How long to wait before trying again after creating a Job failed.</summary>
    public static readonly TimeSpan FailureRetry = TimeSpan.FromSeconds(10);

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncCronJobActivity> _logger;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncCronJobActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the controller's events go; none if not given.</param>
    public SyncCronJobActivity(ObjectRegistry registry, TimeProvider time, ILogger<SyncCronJobActivity> logger, IEventRecorder? events = null)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        _events = events ?? NullEventRecorder.Instance;
    }

    /// <summary>The component the controller's events name.</summary>
    public const string Component = "cronjob-controller";

    /// <summary>Syncs the CronJob once.</summary>
    /// <param name="reference">The CronJob.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether it is gone, and when to look again (the next scheduled time).</returns>
    public async Task<ControllerSyncResult> RunAsync(ControllerRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var cronJob = await _registry.GetAsync<V1CronJob>(ResourceTypes.CronJobs, reference.Namespace, reference.Name, cancellationToken);
        if (cronJob?.Metadata.Uid != reference.Uid)
        {
            return ControllerSyncResult.ObjectGone;
        }

        var now = _time.GetUtcNow();
        var jobs = await _registry.ListAsync<V1Job>(
            ResourceTypes.Jobs, reference.Namespace, j => OwnerReferences.ControllerOf(j.Metadata)?.Uid == reference.Uid, cancellationToken);
        var plan = CronJobSync.Plan(cronJob, jobs, now);
        foreach (var (reason, message) in plan.Events)
        {
            Log.CronJobWarning(_logger, reference.Namespace ?? string.Empty, reference.Name, reason, message);
            var type = reason is "SawCompletedJob" or "JobAlreadyActive" ? EventReport.Normal : EventReport.Warning;
            _events.Record(new EventReport(Component, null, EventReport.Reference(cronJob), type, reason, message));
        }

        foreach (var job in plan.DeleteJobs)
        {
            await DeleteJobAsync(cronJob, job, cancellationToken);
        }

        var status = plan.Status;
        var requeue = plan.RequeueAt;
        if (plan.Create is { } request && plan.ScheduledTime is { } scheduled)
        {
            var created = await CreateJobAsync(cronJob, request, cancellationToken);
            if (created is null)
            {
                requeue = now + FailureRetry;
            }
            else if (OwnerReferences.ControllerOf(created.Metadata)?.Uid == cronJob.Metadata.Uid)
            {
                CronJobSync.RecordCreated(status, created, scheduled);
            }
        }

        await WriteStatusAsync(cronJob, status, cancellationToken);
        return new ControllerSyncResult(Gone: false, RequeueAt: requeue);
    }

    private async Task<V1Job?> CreateJobAsync(V1CronJob cronJob, V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            var created = (V1Job)await _registry.CreateAsync(ResourceTypes.Jobs, job, cancellationToken: cancellationToken);
            Log.CronJobCreatedJob(_logger, cronJob.Metadata.NamespaceProperty, cronJob.Metadata.Name, created.Metadata.Name);
            _events.Record(new EventReport(Component, null, EventReport.Reference(cronJob), EventReport.Normal, "SuccessfulCreate", "Created job " + created.Metadata.Name));
            return created;
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
        {
            // Made by an earlier try of this sync (or by someone else: then it is not ours to record).
            return await _registry.GetAsync<V1Job>(ResourceTypes.Jobs, job.Metadata.NamespaceProperty, job.Metadata.Name, cancellationToken);
        }
        catch (Exception e) when (e is ObjectRejectedException or StoreException)
        {
            Log.CronJobWarning(_logger, cronJob.Metadata.NamespaceProperty, cronJob.Metadata.Name, "FailedCreate", $"Error creating job: {e.Message}");
            _events.Record(new EventReport(Component, null, EventReport.Reference(cronJob), EventReport.Warning, "FailedCreate", $"Error creating job: {e.Message}"));
            return null;
        }
    }

    private async Task DeleteJobAsync(V1CronJob cronJob, V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.DeleteAsync(
                new ObjectKey(ResourceTypes.Jobs, job.Metadata.NamespaceProperty, job.Metadata.Name),
                DeleteOptions.ForUid(job.Metadata.Uid) with { PropagationPolicy = PropagationPolicy.Background },
                cancellationToken);
            Log.CronJobDeletedJob(_logger, cronJob.Metadata.NamespaceProperty, cronJob.Metadata.Name, job.Metadata.Name);
            _events.Record(new EventReport(Component, null, EventReport.Reference(cronJob), EventReport.Normal, "SuccessfulDelete", "Deleted job " + job.Metadata.Name));
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already.
        }
    }

    private Task<bool> WriteStatusAsync(V1CronJob cronJob, V1CronJobStatus status, CancellationToken cancellationToken) =>
        _registry.WriteStatusAsync<V1CronJob>(
            ResourceTypes.CronJobs, cronJob.Metadata, current => ControllerWrites.Replace(current.Status ?? new V1CronJobStatus(), status, s => current.Status = s), cancellationToken);
}
