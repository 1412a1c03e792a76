namespace DurableKube.Domain.Kubelet;

/// <summary>
/// How long a pod the scheduler turned down is kept from being tried again by a cluster event, as kube-scheduler's
/// back-off queue: 1 s after the first failed attempt, doubling with each one after, at most 10 s
/// (<c>podInitialBackoffSeconds</c> and <c>podMaxBackoffSeconds</c>). A flood of events (a hundred pods deleted) then
/// costs each waiting pod one attempt per back-off, not one per event.
/// </summary>
public static class SchedulingBackoff
{
    /// <summary>The back-off after the first failed attempt.</summary>
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    /// <summary>The back-off after <paramref name="attempts"/> failed attempts in a row.</summary>
    /// <param name="attempts">Failed attempts, from 1.</param>
    /// <returns>How long a cluster event does not try the pod again.</returns>
    public static TimeSpan After(int attempts)
    {
        var backoff = Initial;
        for (var i = 1; i < attempts && backoff < Max; i++)
        {
            backoff += backoff;
        }

        return backoff < Max ? backoff : Max;
    }
}
