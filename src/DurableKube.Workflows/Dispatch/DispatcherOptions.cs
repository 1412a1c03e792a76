using System.ComponentModel.DataAnnotations;

namespace DurableKube.Workflows.Dispatch;

/// <summary>How the local host reads the work queue (configuration section <c>Dispatcher</c>).</summary>
public sealed class DispatcherOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Dispatcher";

    /// <summary>Gets or sets how many changes to take at once (the storage queue's maximum is 32; host.json's <c>batchSize</c>, 16).</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Gets or sets how few changes may be in hand before the next batch is taken (the Functions queue trigger's
    /// <c>newBatchThreshold</c>, half the batch size by default): up to <see cref="BatchSize"/> + this many are handled at
    /// once, and a slow change holds up none of the others.
    /// </summary>
    [Range(0, 64)]
    public int NewBatchThreshold { get; set; } = 8;

    /// <summary>Gets or sets how long a taken change stays hidden before it comes back if not completed.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets how many times a change is tried before it is set aside on the work queue's poison queue
    /// (the Functions default, and host.json's <c>maxDequeueCount</c>, is 5).
    /// </summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Gets or sets the poll interval right after a change was seen.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the longest poll interval while the queue stays empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how often every object is checked for a workflow it lacks.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);
}
