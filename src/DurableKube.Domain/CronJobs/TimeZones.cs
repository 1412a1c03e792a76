namespace DurableKube.Domain.CronJobs;

/// <summary>IANA time zones by name, as Go's <c>time.LoadLocation</c> finds them (<c>UTC</c> and the empty name are UTC; <c>Local</c> is refused).</summary>
public static class TimeZones
{
    /// <summary>Finds a zone.</summary>
    /// <param name="name">The IANA name, e.g. <c>Europe/Paris</c>.</param>
    /// <returns>The zone, or <see langword="null"/> if there is none of that name.</returns>
    public static TimeZoneInfo? Find(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        if (name == "Local" || name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('/'))
        {
            return null;
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return zone.HasIanaId ? zone : null;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
