using k8s.Models;

namespace DurableKube.Domain.CronJobs;

/// <summary>What one sync of a CronJob does.</summary>
/// <param name="Status">The status to write (active Jobs, last schedule and success times), before any Job is created.</param>
/// <param name="DeleteJobs">Jobs to delete: running ones a Replace policy replaces, and finished ones past the history limits.</param>
/// <param name="Create">The Job to create for the scheduled time that is due, if one is; its name is deterministic.</param>
/// <param name="ScheduledTime">The scheduled time <paramref name="Create"/> is for.</param>
/// <param name="RequeueAt">When to sync again: just after the next scheduled time.</param>
/// <param name="Events">What the controller would report as events (reason, message), for the log.</param>
public sealed record CronJobPlan(
    V1CronJobStatus Status,
    IReadOnlyList<V1Job> DeleteJobs,
    V1Job? Create,
    DateTimeOffset? ScheduledTime,
    DateTimeOffset? RequeueAt,
    IReadOnlyList<(string Reason, string Message)> Events);
