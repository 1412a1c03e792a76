namespace DurableKube.Domain.Serialization;

/// <summary>
/// Times as Kubernetes objects hold them: <c>metav1.Time</c> is UTC in whole seconds, and
/// KubernetesClient's models carry it as a <see cref="DateTime"/> whose kind may be unspecified.
/// </summary>
public static class KubeTime
{
    /// <summary>Truncates a time to whole seconds in UTC, the precision of object timestamps.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The UTC time in whole seconds.</returns>
    public static DateTime Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    /// <summary>Reads a timestamp from an object as the UTC instant it is (an unspecified kind is UTC, as on the wire).</summary>
    /// <param name="time">The timestamp.</param>
    /// <returns>The instant.</returns>
    public static DateTimeOffset ToInstant(DateTime time) =>
        time.Kind == DateTimeKind.Local ? new DateTimeOffset(time.ToUniversalTime()) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
