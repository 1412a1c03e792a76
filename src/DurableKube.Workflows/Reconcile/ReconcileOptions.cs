using System.ComponentModel.DataAnnotations;

namespace DurableKube.Workflows.Reconcile;

/// <summary>How every reconcile loop retries failed work (configuration section <c>Reconcile</c>, e.g. <c>Reconcile__FailedWorkDelay=00:00:05</c>).</summary>
public sealed class ReconcileOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Reconcile";

    /// <summary>Gets or sets how many times one turn tries its activity.</summary>
    [Range(1, 20)]
    public int ActivityAttempts { get; set; } = ReconcileTimings.Default.ActivityAttempts;

    /// <summary>Gets or sets the delay before the first retry within a turn (it doubles).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ActivityFirstRetry { get; set; } = ReconcileTimings.Default.FirstRetry;

    /// <summary>Gets or sets the longest delay between retries within a turn.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ActivityMaxRetry { get; set; } = ReconcileTimings.Default.MaxRetry;

    /// <summary>Gets or sets how long a loop waits to try again once a turn's tries are spent.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FailedWorkDelay { get; set; } = ReconcileTimings.Default.FailedWorkDelay;

    /// <summary>
    /// Gets or sets how long a workflow may wait for one activity's result before the resync terminates it, to be started
    /// again from its object (<c>Reconcile__StuckAfter</c>, 10 minutes). No activity here takes that long; after a host is
    /// killed at the wrong moment the Azure Storage provider can hold a result back for good ("received out of order").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets the timings a new workflow carries.</summary>
    /// <returns>The timings.</returns>
    public ReconcileTimings ToTimings() => new(ActivityAttempts, ActivityFirstRetry, ActivityMaxRetry, FailedWorkDelay);
}
