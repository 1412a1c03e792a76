namespace DurableKube.Api.Watch;

/// <summary>
/// How long a watch lasts, as the API server decides it: <c>timeoutSeconds</c> as given, otherwise
/// its <c>--min-request-timeout</c> (1800 s) times a random factor in [1, 2), so a local watch lasts
/// 30 to 60 minutes and the watches of many clients do not all end together. A host whose HTTP
/// responses are cut (the Functions app, about 230 s) caps it with <see cref="KubernetesApiOptions.MaxWatchTimeoutSeconds"/>.
/// </summary>
internal static class WatchTimeout
{
    /// <summary>Chooses a watch's timeout.</summary>
    /// <param name="requested">The request's <c>timeoutSeconds</c>; <see langword="null"/> or not positive when not given.</param>
    /// <param name="minRequestTimeoutSeconds">The server's minimum request timeout (<see cref="KubernetesApiOptions.WatchTimeoutSeconds"/>).</param>
    /// <param name="maxSeconds">The longest a response may last on this host; <see langword="null"/> for no limit.</param>
    /// <param name="randomFactor">A random number in [0, 1).</param>
    /// <returns>The timeout, at least one second.</returns>
    public static TimeSpan Choose(long? requested, int minRequestTimeoutSeconds, int? maxSeconds, double randomFactor)
    {
        var seconds = requested is > 0
            ? requested.Value
            : (double)minRequestTimeoutSeconds * (1 + Math.Clamp(randomFactor, 0, 1));
        if (maxSeconds is { } max)
        {
            seconds = Math.Min(seconds, max);
        }

        return TimeSpan.FromSeconds(Math.Max(1, seconds));
    }
}
