using DurableKube.Domain.CronJobs;

namespace DurableKube.Domain.Tests.Batch;

public class CronScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 30, TimeSpan.Zero); // a Friday

    [Theory]
    [InlineData("* * * * *", "2026-11-27T12:01:00Z")]
    [InlineData("*/15 * * * *", "2026-11-27T12:15:00Z")]
    [InlineData("5,50 * * * *", "2026-11-27T12:05:00Z")]
    [InlineData("0 13-15 * * *", "2026-11-27T13:00:00Z")]
    [InlineData("0 0 * * *", "2026-11-28T00:00:00Z")]
    [InlineData("@hourly", "2026-11-27T13:00:00Z")]
    [InlineData("@daily", "2026-11-28T00:00:00Z")]
    [InlineData("@weekly", "2026-11-29T00:00:00Z")]
    [InlineData("@monthly", "2026-12-01T00:00:00Z")]
    [InlineData("@yearly", "2027-01-01T00:00:00Z")]
    [InlineData("0 9 * * MON-FRI", "2026-11-30T09:00:00Z")]
    [InlineData("0 0 1 jan *", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 13 * 5", "2026-12-04T00:00:00Z")]
    [InlineData("30 6-16/4 * * *", "2026-11-27T14:30:00Z")]
    [InlineData("0 0 29 2 *", "2028-02-29T00:00:00Z")]
    public void The_next_time_follows_cron_rules(string schedule, string expected)
    {
        var next = CronSchedule.Parse(schedule).Next(T0, TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("0 9 * * *", "Europe/Paris", "2026-11-28T08:00:00Z")]
    [InlineData("0 9 * * *", "America/New_York", "2026-11-27T14:00:00Z")]
    [InlineData("30 2 14 3 *", "America/New_York", "2028-03-14T06:30:00Z")]
    public void Fields_are_read_on_the_wall_clock_of_the_time_zone(string schedule, string zone, string expected)
    {
        var next = CronSchedule.Parse(schedule).Next(T0, TimeZones.Find(zone)!);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void A_day_that_never_comes_has_no_next_time() =>
        Assert.Null(CronSchedule.Parse("0 0 30 2 *").Next(T0, TimeZoneInfo.Utc));

    [Theory]
    [InlineData("", "empty spec string")]
    [InlineData("foo", "expected exactly 5 fields, found 1: [foo]")]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("60 * * * *", "end of range (60) above maximum (59): 60")]
    [InlineData("* 5-2 * * *", "beginning of range (5) beyond end of range (2): 5-2")]
    [InlineData("* * 0 * *", "beginning of range (0) below minimum (1): 0")]
    [InlineData("* * * * 7", "end of range (7) above maximum (6): 7")]
    [InlineData("*/0 * * * *", "step of range should be a positive number: */0")]
    [InlineData("1-2-3 * * * *", "too many hyphens: 1-2-3")]
    [InlineData("*/2/3 * * * *", "too many slashes: */2/3")]
    [InlineData("a * * * *", "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax")]
    [InlineData("@fortnightly", "unrecognized descriptor: @fortnightly")]
    public void A_bad_schedule_is_refused_with_the_cron_librarys_message(string schedule, string message)
    {
        Assert.False(CronSchedule.TryParse(schedule, out var error));
        Assert.Equal(message, error);
    }
}
