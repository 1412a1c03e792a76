namespace DurableKube.Domain.Kubelet;

/// <summary>
/// The kubelet timings Kubernetes fixes, made configurable so tests and demos can run them scaled down
/// (<c>Kubelet__BackoffInitial</c>, <c>Kubelet__BackoffMax</c>, <c>Kubelet__BackoffReset</c>).
/// </summary>
/// <param name="BackoffInitial">The delay before the second restart of a crashing container (Kubernetes: 10 s).</param>
/// <param name="BackoffMax">The cap of the doubling delay (Kubernetes: 300 s).</param>
/// <param name="BackoffReset">How long a run must last for the back-off to start again from nothing (Kubernetes: 10 min).</param>
/// <param name="ScheduleRetry">
/// The longest an unschedulable pod waits before it is tried again when nothing happens (kube-scheduler's
/// <c>podMaxInUnschedulablePodsDuration</c>: 5 min); a change that may let it fit tries it sooner (<see cref="SchedulingChance"/>).
/// </param>
public sealed record KubeletSettings(TimeSpan BackoffInitial, TimeSpan BackoffMax, TimeSpan BackoffReset, TimeSpan ScheduleRetry)
{
    /// <summary>Gets the values Kubernetes uses.</summary>
    public static KubeletSettings Kubernetes { get; } = new(
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));

    /// <summary>
    /// Gets the settings as the kubelet applies them: a cap below the initial delay lowers the initial
    /// delay to it (KEP-4603), and no value is negative.
    /// </summary>
    /// <returns>The normalised settings.</returns>
    public KubeletSettings Normalize()
    {
        var max = BackoffMax < TimeSpan.Zero ? TimeSpan.Zero : BackoffMax;
        var initial = BackoffInitial < TimeSpan.Zero ? TimeSpan.Zero : BackoffInitial;
        return this with
        {
            BackoffMax = max,
            BackoffInitial = initial > max ? max : initial,
            BackoffReset = BackoffReset < TimeSpan.Zero ? TimeSpan.Zero : BackoffReset,
            ScheduleRetry = ScheduleRetry <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : ScheduleRetry,
        };
    }
}
