using System.Globalization;
using DurableKube.Domain.Jobs;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.CronJobs;

/// <summary>
/// The CronJob controller's decisions for one sync (pkg/controller/cronjob/cronjob_controllerv2.go <c>syncCronJob</c>,
/// <c>cleanupFinishedJobs</c>; utils.go <c>mostRecentScheduleTime</c>, <c>nextScheduleTimeDuration</c>), as a pure function
/// of the CronJob, the Jobs it controls and the time.
/// </summary>
public static class CronJobSync
{
    /// <summary>How far past a scheduled time the controller looks again (<c>nextScheduleDelta</c>).</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    /// <summary>More missed start times than this are reported (<c>TooManyMissedTimes</c>).</summary>
    public const int TooManyMissed = 100;

    /// <summary>Plans one sync.</summary>
    /// <param name="cronJob">The CronJob, as stored.</param>
    /// <param name="jobs">The Jobs of its namespace it controls.</param>
    /// <param name="now">The present.</param>
    /// <returns>The plan.</returns>
    public static CronJobPlan Plan(V1CronJob cronJob, IReadOnlyList<V1Job> jobs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        ArgumentNullException.ThrowIfNull(jobs);
        var spec = cronJob.Spec ?? new V1CronJobSpec();
        var status = KubeJson.Clone(cronJob.Status ?? new V1CronJobStatus());
        var active = (status.Active ?? []).ToList();
        var events = new List<(string, string)>();
        var delete = new List<V1Job>();

        foreach (var job in jobs)
        {
            var listed = active.Any(a => a.Uid == job.Metadata.Uid);
            var finished = JobConditions.IsFinished(job);
            if (!listed && !finished)
            {
                events.Add(("UnexpectedJob", $"Saw a job that the controller did not create or forgot: {job.Metadata.Name}"));
            }
            else if (listed && finished)
            {
                active.RemoveAll(a => a.Uid == job.Metadata.Uid);
                events.Add(("SawCompletedJob", $"Saw completed job: {job.Metadata.Name}, condition: {(JobConditions.IsTrue(job, JobConditions.Complete) ? JobConditions.Complete : JobConditions.Failed)}"));
            }

            if (JobConditions.IsTrue(job, JobConditions.Complete) && job.Status?.CompletionTime is { } completed
                && (status.LastSuccessfulTime is not { } last || completed > last))
            {
                status.LastSuccessfulTime = completed;
            }
        }

        foreach (var missing in active.Where(a => jobs.All(j => j.Metadata.Uid != a.Uid)).ToList())
        {
            active.Remove(missing);
            events.Add(("MissingJob", $"Active job went missing: {missing.Name}"));
        }

        delete.AddRange(HistoryToDelete(spec, jobs));
        CronJobPlan Done(DateTimeOffset? requeueAt, V1Job? create = null, DateTimeOffset? scheduled = null)
        {
            status.Active = active.Count > 0 ? active : null;
            return new CronJobPlan(status, delete, create, scheduled, requeueAt, events);
        }

        if (cronJob.Metadata.DeletionTimestamp is not null)
        {
            return Done(null);
        }

        var zone = TimeZones.Find(spec.TimeZone);
        if (spec.TimeZone is not null && zone is null)
        {
            events.Add(("UnknownTimeZone", $"invalid timeZone: \"{spec.TimeZone}\": unknown time zone {spec.TimeZone}"));
            return Done(null);
        }

        zone ??= TimeZoneInfo.Utc;
        if (spec.Suspend == true)
        {
            return Done(null);
        }

        CronSchedule schedule;
        try
        {
            schedule = CronSchedule.Parse(spec.Schedule ?? string.Empty);
        }
        catch (CronScheduleException e)
        {
            events.Add(("UnparseableSchedule", $"unparseable schedule: \"{spec.Schedule}\" : {e.Message}"));
            return Done(null);
        }

        var (_, scheduledTime, missed, _) = MostRecentScheduleTime(cronJob, now, schedule, zone, includeStartingDeadline: true);
        if (missed > TooManyMissed)
        {
            events.Add(("TooManyMissedTimes", $"too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew"));
        }

        var next = NextSyncAt(cronJob, now, schedule, zone);
        if (scheduledTime is not { } scheduled || scheduled > now)
        {
            return Done(next);
        }

        if (spec.StartingDeadlineSeconds is { } deadline && scheduled + TimeSpan.FromSeconds(deadline) < now)
        {
            events.Add(("MissSchedule", $"Missed scheduled time to start a job: {scheduled.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)}"));
            return Done(next);
        }

        var name = JobName(cronJob.Metadata.Name, scheduled);
        if (active.Any(a => a.Name == name) || (status.LastScheduleTime is { } lastScheduled && KubeTime.ToInstant(lastScheduled) == scheduled))
        {
            return Done(next);
        }

        if (spec.ConcurrencyPolicy == "Forbid" && active.Count > 0)
        {
            events.Add(("JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"));
            return Done(next);
        }

        if (spec.ConcurrencyPolicy == "Replace")
        {
            foreach (var running in active.ToList())
            {
                if (jobs.FirstOrDefault(j => j.Metadata.Uid == running.Uid) is { } job)
                {
                    delete.Add(job);
                }

                active.Remove(running);
            }
        }

        return Done(next, NewJob(cronJob, scheduled, zone), scheduled);
    }

    /// <summary>Records a Job made for a scheduled time in the status: in the active list, and as the last schedule.</summary>
    /// <param name="status">The status, changed in place.</param>
    /// <param name="job">The Job as created (or found already created by this CronJob).</param>
    /// <param name="scheduled">The scheduled time it is for.</param>
    public static void RecordCreated(V1CronJobStatus status, V1Job job, DateTimeOffset scheduled)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(job);
        status.Active ??= [];
        if (status.Active.All(a => a.Uid != job.Metadata.Uid))
        {
            status.Active.Add(new V1ObjectReference
            {
                ApiVersion = "batch/v1",
                Kind = "Job",
                Name = job.Metadata.Name,
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Uid = job.Metadata.Uid,
                ResourceVersion = job.Metadata.ResourceVersion,
            });
        }

        status.LastScheduleTime = KubeTime.Truncate(scheduled);
    }

    /// <summary>The name of the Job for a scheduled time: <c>&lt;cronjob&gt;-&lt;minutes since the epoch&gt;</c> (<c>getJobName</c>).</summary>
    /// <param name="cronJobName">The CronJob's name.</param>
    /// <param name="scheduled">The scheduled time.</param>
    /// <returns>The name.</returns>
    public static string JobName(string cronJobName, DateTimeOffset scheduled) =>
        string.Create(CultureInfo.InvariantCulture, $"{cronJobName}-{scheduled.ToUnixTimeSeconds() / 60}");

    /// <summary>
    /// The most recent scheduled time that is due (<c>mostRecentScheduleTime</c>): counted from the last schedule (or the
    /// creation), no earlier than <c>startingDeadlineSeconds</c> ago when asked, with the number of start times missed.
    /// </summary>
    /// <param name="cronJob">The CronJob.</param>
    /// <param name="now">The present.</param>
    /// <param name="schedule">Its schedule.</param>
    /// <param name="zone">Its time zone.</param>
    /// <param name="includeStartingDeadline">Whether <c>startingDeadlineSeconds</c> bounds how far back to look.</param>
    /// <returns>Where counting started, the most recent due time (if any), how many were missed, and an error for a schedule that does not advance.</returns>
    public static (DateTimeOffset Earliest, DateTimeOffset? MostRecent, long Missed, string? Error) MostRecentScheduleTime(
        V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone, bool includeStartingDeadline)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        ArgumentNullException.ThrowIfNull(schedule);
        var earliest = cronJob.Status?.LastScheduleTime is { } last
            ? KubeTime.ToInstant(last)
            : KubeTime.ToInstant(cronJob.Metadata.CreationTimestamp ?? now.UtcDateTime);
        if (includeStartingDeadline && cronJob.Spec?.StartingDeadlineSeconds is { } seconds)
        {
            var deadline = now - TimeSpan.FromSeconds(seconds);
            if (deadline > earliest)
            {
                earliest = deadline;
            }
        }

        if (schedule.Next(earliest, zone) is not { } t1)
        {
            return (earliest, null, 0, "the schedule has no next time");
        }

        if (now < t1)
        {
            return (earliest, null, 0, null);
        }

        if (schedule.Next(t1, zone) is not { } t2 || now < t2)
        {
            return (earliest, t1, 1, null);
        }

        var between = (long)Math.Round((t2 - t1).TotalSeconds);
        if (between < 1)
        {
            return (earliest, null, 0, "time difference between two schedules is less than 1 second");
        }

        var missed = ((long)(now - t1).TotalSeconds / between) + 1;
        var potentialEarliest = t1 + TimeSpan.FromSeconds((missed - 2) * between);
        DateTimeOffset? mostRecent = null;
        for (var t = schedule.Next(potentialEarliest, zone); t is { } at && at <= now; t = schedule.Next(at, zone))
        {
            mostRecent = at;
        }

        return (earliest, mostRecent, missed, null);
    }

    /// <summary>When to sync next: just after the next scheduled time (<c>nextScheduleTimeDuration</c>).</summary>
    /// <param name="cronJob">The CronJob.</param>
    /// <param name="now">The present.</param>
    /// <param name="schedule">Its schedule.</param>
    /// <param name="zone">Its time zone.</param>
    /// <returns>The time, or <see langword="null"/> for a schedule that never fires again.</returns>
    public static DateTimeOffset? NextSyncAt(V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var (earliest, mostRecent, missed, error) = MostRecentScheduleTime(cronJob, now, schedule, zone, includeStartingDeadline: false);
        var from = error is not null ? now : mostRecent ?? (missed == 0 ? earliest : now);
        return schedule.Next(from, zone) is { } next ? next + NextScheduleDelta : null;
    }

    /// <summary>The Job for a scheduled time (<c>getJobFromTemplate2</c>): the template's labels, annotations and spec, the scheduled-timestamp annotation, and the CronJob as controller.</summary>
    /// <param name="cronJob">The CronJob.</param>
    /// <param name="scheduled">The scheduled time.</param>
    /// <param name="zone">Its time zone, in which the annotation is written.</param>
    /// <returns>The Job, to be created.</returns>
    public static V1Job NewJob(V1CronJob cronJob, DateTimeOffset scheduled, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        ArgumentNullException.ThrowIfNull(zone);
        var template = KubeJson.Clone(cronJob.Spec?.JobTemplate ?? new V1JobTemplateSpec());
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            [JobLabels.CronJobScheduledTimestamp] = Rfc3339(TimeZoneInfo.ConvertTime(scheduled, zone)),
        };
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = JobName(cronJob.Metadata.Name, scheduled),
                NamespaceProperty = cronJob.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
                Annotations = annotations,
                OwnerReferences = [OwnerReferences.NewControllerRef("batch/v1", "CronJob", cronJob.Metadata)],
            },
            Spec = template.Spec ?? new V1JobSpec(),
        };
    }

    /// <summary>Finished Jobs beyond the history limits, oldest first by start time (<c>cleanupFinishedJobs</c>, <c>removeOldestJobs</c>).</summary>
    /// <param name="spec">The CronJob's spec.</param>
    /// <param name="jobs">Its Jobs.</param>
    /// <returns>The Jobs to delete.</returns>
    public static IReadOnlyList<V1Job> HistoryToDelete(V1CronJobSpec spec, IReadOnlyList<V1Job> jobs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(jobs);
        if (spec.SuccessfulJobsHistoryLimit is null && spec.FailedJobsHistoryLimit is null)
        {
            return [];
        }

        var result = new List<V1Job>();
        void Oldest(IEnumerable<V1Job> finished, int? limit)
        {
            var ordered = finished
                .OrderBy(j => j.Status?.StartTime is null ? 1 : 0)
                .ThenBy(j => j.Status?.StartTime ?? DateTime.MaxValue)
                .ThenBy(j => j.Metadata.Name, StringComparer.Ordinal)
                .ToList();
            if (limit is { } max && ordered.Count > max)
            {
                result.AddRange(ordered.Take(ordered.Count - max));
            }
        }

        Oldest(jobs.Where(j => JobConditions.IsTrue(j, JobConditions.Complete)), spec.SuccessfulJobsHistoryLimit);
        Oldest(jobs.Where(j => JobConditions.IsTrue(j, JobConditions.Failed)), spec.FailedJobsHistoryLimit);
        return result;
    }

    private static string Rfc3339(DateTimeOffset time) => time.Offset == TimeSpan.Zero
        ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
