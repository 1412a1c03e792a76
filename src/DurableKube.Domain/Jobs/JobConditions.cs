using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>The conditions of a Job, with the reasons and messages the Job controller gives them (pkg/controller/job/job_controller.go).</summary>
public static class JobConditions
{
    /// <summary>The Job has finished with all its completions.</summary>
    public const string Complete = "Complete";

    /// <summary>The Job has failed.</summary>
    public const string Failed = "Failed";

    /// <summary>The Job is suspended (True) or was resumed (False).</summary>
    public const string Suspended = "Suspended";

    /// <summary>The Job will fail once its pods have terminated (Kubernetes 1.31+).</summary>
    public const string FailureTarget = "FailureTarget";

    /// <summary>The Job has met its success criteria and will be Complete once its pods have terminated (Kubernetes 1.31+).</summary>
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";

    /// <summary>The reason of a Job that reached its completions.</summary>
    public const string CompletionsReached = "CompletionsReached";

    /// <summary>The message of a Job that reached its completions.</summary>
    public const string CompletionsReachedMessage = "Reached expected number of succeeded pods";

    /// <summary>The reason of a Job whose failed pods exceed its backoffLimit.</summary>
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";

    /// <summary>The message of a Job whose failed pods exceed its backoffLimit.</summary>
    public const string BackoffLimitExceededMessage = "Job has reached the specified backoff limit";

    /// <summary>The reason of a Job active longer than its activeDeadlineSeconds.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>The message of a Job active longer than its activeDeadlineSeconds.</summary>
    public const string DeadlineExceededMessage = "Job was active longer than specified deadline";

    /// <summary>The reason of a Job failed by a FailJob rule of its podFailurePolicy.</summary>
    public const string PodFailurePolicy = "PodFailurePolicy";

    /// <summary>Whether a condition of the type is True.</summary>
    /// <param name="job">The Job.</param>
    /// <param name="type">The condition type.</param>
    /// <returns>Whether it is set and True.</returns>
    public static bool IsTrue(V1Job job, string type) =>
        job?.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    /// <summary>Whether the Job has finished: Complete or Failed is True (<c>IsJobFinished</c>).</summary>
    /// <param name="job">The Job.</param>
    /// <returns>Whether it has finished.</returns>
    public static bool IsFinished(V1Job job) => IsTrue(job, Complete) || IsTrue(job, Failed);

    /// <summary>When the Job finished: its Complete or Failed condition's transition time.</summary>
    /// <param name="job">The Job.</param>
    /// <returns>The time, or <see langword="null"/> if it has not finished.</returns>
    public static DateTimeOffset? FinishedAt(V1Job job) =>
        job?.Status?.Conditions?.FirstOrDefault(c => c.Type is Complete or Failed && c.Status == "True")?.LastTransitionTime is { } at
            ? KubeTime.ToInstant(at)
            : null;

    /// <summary>
    /// Sets a condition to a status (<c>ensureJobConditionStatus</c>): a new one is appended; an existing one keeps
    /// its transition time unless its status changes.
    /// </summary>
    /// <param name="conditions">The conditions, changed in place.</param>
    /// <param name="type">The type.</param>
    /// <param name="status">True or False.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="message">The message.</param>
    /// <param name="now">The time of a transition.</param>
    /// <returns>Whether anything changed.</returns>
    public static bool Ensure(IList<V1JobCondition> conditions, string type, string status, string reason, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            if (status == "False")
            {
                // A condition that was never True is not written False (as the controller skips it).
                return false;
            }

            conditions.Add(New(type, status, reason, message, now));
            return true;
        }

        if (existing.Status == status && existing.Reason == reason && existing.Message == message)
        {
            return false;
        }

        if (existing.Status != status)
        {
            existing.LastTransitionTime = KubeTime.Truncate(now);
        }

        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
        existing.LastProbeTime = KubeTime.Truncate(now);
        return true;
    }

    /// <summary>Makes a condition.</summary>
    /// <param name="type">The type.</param>
    /// <param name="status">True or False.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="message">The message.</param>
    /// <param name="now">Its probe and transition time.</param>
    /// <returns>The condition.</returns>
    public static V1JobCondition New(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastProbeTime = KubeTime.Truncate(now),
        LastTransitionTime = KubeTime.Truncate(now),
    };
}
