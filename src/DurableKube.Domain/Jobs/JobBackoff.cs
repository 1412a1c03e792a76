using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>
/// The delay before a Job replaces failed pods (pkg/controller/job/backoff_utils.go): 10 s after the first failure
/// since the last success, doubling with each further failure, capped at 6 minutes (the cap the Kubernetes
/// documentation gives), counted from the last failure. It is computed from the Job's pods rather than kept in
/// memory, so it survives a restart.
/// </summary>
public static class JobBackoff
{
    /// <summary>The first delay.</summary>
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);

    /// <summary>The cap.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(6);

    /// <summary>The delay after a number of failures since the last success: 0, 10 s, 20 s, 40 s ... 6 min.</summary>
    /// <param name="failures">The failures since the last success.</param>
    /// <returns>The delay.</returns>
    public static TimeSpan Delay(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var delay = Initial;
        for (var i = 1; i < failures && delay < Max; i++)
        {
            delay += delay;
        }

        return delay > Max ? Max : delay;
    }

    /// <summary>When new pods may be created again: the last failure plus the delay its count of failures since the last success earns.</summary>
    /// <param name="finished">The Job's finished pods, each with whether it failed (ignored failures left out).</param>
    /// <returns>The time, or <see langword="null"/> if nothing holds creation back.</returns>
    public static DateTimeOffset? ReadyAt(IEnumerable<(V1Pod Pod, bool Failed)> finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var ordered = finished.Select(f => (At: FinishedAt(f.Pod), f.Failed)).OrderBy(f => f.At).ToList();
        var failures = 0;
        DateTimeOffset? last = null;
        foreach (var (at, failed) in ordered)
        {
            if (failed)
            {
                failures++;
                last = at;
            }
            else
            {
                failures = 0;
                last = null;
            }
        }

        return last is { } lastFailure ? lastFailure + Delay(failures) : null;
    }

    /// <summary>When a pod finished: its containers' latest finish, else its deletion or creation time.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset FinishedAt(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var finishes = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? [])
            .Select(s => s.State?.Terminated?.FinishedAt ?? s.LastState?.Terminated?.FinishedAt)
            .OfType<DateTime>()
            .ToList();
        var at = finishes.Count > 0 ? finishes.Max() : pod.Metadata?.DeletionTimestamp ?? pod.Metadata?.CreationTimestamp ?? DateTime.UnixEpoch;
        return KubeTime.ToInstant(at);
    }
}
