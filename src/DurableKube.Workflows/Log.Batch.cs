using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The batch controllers' log messages: 51x Jobs, 52x CronJobs.</summary>
internal static partial class Log
{
    [LoggerMessage(510, LogLevel.Warning, "Job pod {Namespace}/{Name}: could not remove its tracking finalizer: {Message}")]
    public static partial void JobFinalizerFailed(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(511, LogLevel.Information, "Job {Namespace}/{Name} finished longer ago than its ttlSecondsAfterFinished: deleted")]
    public static partial void JobExpired(ILogger logger, string @namespace, string name);

    [LoggerMessage(520, LogLevel.Information, "CronJob {Namespace}/{Name} created job {Job}")]
    public static partial void CronJobCreatedJob(ILogger logger, string @namespace, string name, string job);

    [LoggerMessage(521, LogLevel.Warning, "CronJob {Namespace}/{Name}: {Reason}: {Message}")]
    public static partial void CronJobWarning(ILogger logger, string @namespace, string name, string reason, string message);

    [LoggerMessage(522, LogLevel.Information, "CronJob {Namespace}/{Name} deleted job {Job}")]
    public static partial void CronJobDeletedJob(ILogger logger, string @namespace, string name, string job);
}
