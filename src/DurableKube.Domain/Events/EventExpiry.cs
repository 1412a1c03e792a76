using k8s.Models;

namespace DurableKube.Domain.Events;

/// <summary>
/// When an event expires: a time-to-live after it was last written (the API server keeps events under an etcd
/// lease of <c>--event-ttl</c>, 1 h by default, renewed by each write).
/// </summary>
public static class EventExpiry
{
    /// <summary>The default time-to-live.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>The last time an event was written: its series' last observation, last timestamp, event time or creation, whichever is latest.</summary>
    /// <param name="ev">The event.</param>
    /// <returns>The time, or <see langword="null"/> for an event with none.</returns>
    public static DateTimeOffset? LastWritten(Corev1Event ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        DateTime?[] times = [ev.Series?.LastObservedTime, ev.LastTimestamp, ev.EventTime, ev.FirstTimestamp, ev.Metadata?.CreationTimestamp];
        var known = times.Where(t => t is not null).Select(t => Serialization.KubeTime.ToInstant(t!.Value)).ToList();
        return known.Count == 0 ? null : known.Max();
    }

    /// <summary>Whether an event has outlived its time-to-live.</summary>
    /// <param name="ev">The event.</param>
    /// <param name="now">The present.</param>
    /// <param name="ttl">The time-to-live.</param>
    /// <returns>Whether it expired.</returns>
    public static bool IsExpired(Corev1Event ev, DateTimeOffset now, TimeSpan ttl) =>
        LastWritten(ev) is { } last && now - last >= ttl;
}
