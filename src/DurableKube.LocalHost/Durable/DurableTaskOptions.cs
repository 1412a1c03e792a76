using System.ComponentModel.DataAnnotations;

namespace DurableKube.LocalHost.Durable;

/// <summary>
/// The Durable Task Framework's Azure Storage backend as the local host runs it (configuration section
/// <c>Durable</c>); the Functions app reads the same settings from host.json.
/// </summary>
public sealed class DurableTaskOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Durable";

    /// <summary>Gets or sets the task hub name (host.json's <c>hubName</c>).</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    public string TaskHub { get; set; } = "durablekube";

    /// <summary>
    /// Gets or sets the worker id. It must stay the same across restarts of the same host: a new id
    /// waits out the dead worker's 30 s partition leases before work resumes.
    /// </summary>
    [Required]
    public string WorkerId { get; set; } = "local-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>Gets or sets the number of control-queue partitions (1-16).</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>Gets or sets the longest wait between polls of an empty queue (the Functions default of 30 s is far too slow for a local control plane).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets or sets how long a message a worker took stays hidden from other workers (both the control
    /// and the work-item queues). A worker that dies (<c>kill -9</c>) holds what it was working on this
    /// long before anyone can pick it up again; the provider's default of 5 minutes would stall a pod that
    /// long after a crash. Workers renew the messages of long activities, so this can be short.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the most activities run at once.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Gets or sets the most orchestration episodes run at once.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 32;

    /// <summary>
    /// Gets or sets how long an orchestration stays in memory after an episode, waiting for its next message (the
    /// provider's extended sessions; zero turns them off). An episode that follows within it (a pod workflow's next step
    /// after its activity returns) runs on the history in memory instead of reading it again: on Azurite that read is a
    /// scan of the whole History table. A waiting session holds one of the orchestration slots, and at most half of
    /// them are ever held so (the Durable Task Framework's rule), so this is kept short.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.Zero;
}
