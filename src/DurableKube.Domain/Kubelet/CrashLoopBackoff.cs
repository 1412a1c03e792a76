using DurableKube.Domain.Printing;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// The kubelet's per-container restart back-off (client-go's <c>flowcontrol.Backoff</c> as the kubelet
/// uses it): the first restart is immediate; each later one waits the current delay, counted from the
/// moment the previous run finished, and the delay doubles up to the cap; a run that lasted the reset
/// period starts the sequence again.
/// </summary>
public static class CrashLoopBackoff
{
    /// <summary>How long a container that just exited waits before its restart.</summary>
    /// <param name="backoff">The container's current back-off; <see langword="null"/> if it has never been restarted.</param>
    /// <param name="exited">The run that exited.</param>
    /// <param name="settings">The kubelet settings.</param>
    /// <returns>The delay, counted from the run's finish.</returns>
    public static TimeSpan DelayAfter(TimeSpan? backoff, ContainerRun exited, KubeletSettings settings)
    {
        ArgumentNullException.ThrowIfNull(exited);
        ArgumentNullException.ThrowIfNull(settings);
        return backoff is null || IsReset(exited, settings) ? TimeSpan.Zero : backoff.Value;
    }

    /// <summary>The back-off a container carries after it is restarted (client-go's <c>Next</c>).</summary>
    /// <param name="backoff">The back-off before the restart; <see langword="null"/> if none.</param>
    /// <param name="exited">The run that exited and is being replaced.</param>
    /// <param name="settings">The kubelet settings.</param>
    /// <returns>The new back-off: the initial delay after a first or reset restart, else double, capped.</returns>
    public static TimeSpan Next(TimeSpan? backoff, ContainerRun exited, KubeletSettings settings)
    {
        ArgumentNullException.ThrowIfNull(exited);
        ArgumentNullException.ThrowIfNull(settings);
        if (backoff is null || IsReset(exited, settings))
        {
            return settings.BackoffInitial;
        }

        var doubled = backoff.Value + backoff.Value;
        return doubled > settings.BackoffMax ? settings.BackoffMax : doubled;
    }

    /// <summary>Whether a run lasted long enough for the back-off to start again from nothing.</summary>
    /// <param name="exited">The run.</param>
    /// <param name="settings">The kubelet settings.</param>
    /// <returns><see langword="true"/> if it ran at least <see cref="KubeletSettings.BackoffReset"/>.</returns>
    public static bool IsReset(ContainerRun exited, KubeletSettings settings)
    {
        ArgumentNullException.ThrowIfNull(exited);
        ArgumentNullException.ThrowIfNull(settings);
        return exited.Duration >= settings.BackoffReset;
    }

    /// <summary>The waiting message the kubelet writes: <c>back-off 20s restarting failed container=app pod=web_default(uid)</c>.</summary>
    /// <param name="backoff">The delay being waited.</param>
    /// <param name="container">The container.</param>
    /// <param name="pod">The pod.</param>
    /// <returns>The message.</returns>
    public static string Message(TimeSpan backoff, string container, PodIdentity pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return $"back-off {GoDuration.Format(backoff)} restarting failed container={container} pod={pod.KubeletName}";
    }
}
