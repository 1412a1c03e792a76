namespace DurableKube.Domain.CronJobs;

/// <summary>A schedule that does not parse, with the message Kubernetes' cron library (robfig/cron v3) gives.</summary>
public sealed class CronScheduleException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CronScheduleException"/> class.</summary>
    public CronScheduleException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CronScheduleException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CronScheduleException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CronScheduleException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CronScheduleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
