using System.Globalization;
using DurableKube.Domain.Printing;

namespace DurableKube.Domain.Tests.Printing;

public class DurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(-1, "0s")]
    [InlineData(-1.5, "0s")]
    [InlineData(-2, "<invalid>")]
    [InlineData(0.9, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(121, "2m1s")]
    [InlineData(302, "5m2s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(659, "10m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 5 * 60, "3h5m")]
    [InlineData(8 * 3600 - 60, "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600 + 59 * 60, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(51 * 3600, "2d3h")]
    [InlineData(8 * 86400 - 3600, "7d23h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(735 * 86400, "2y5d")]
    [InlineData(8 * 365 * 86400 - 86400, "7y364d")]
    [InlineData(8 * 365 * 86400, "8y")]
    [InlineData(10 * 365 * 86400, "10y")]
    public void HumanDuration_Format_MatchesKubectl(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void HumanDuration_Since_WithoutTimestamp_IsUnknown() =>
        Assert.Equal("<unknown>", HumanDuration.Since(null, DateTimeOffset.UnixEpoch));

    [Fact]
    public void HumanDuration_Since_TakesUnspecifiedTimesAsUtc()
    {
        var now = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal("45s", HumanDuration.Since(new DateTime(2025, 1, 1, 11, 59, 15, DateTimeKind.Unspecified), now));
        Assert.Equal("45s", HumanDuration.Since(new DateTime(2025, 1, 1, 11, 59, 15, DateTimeKind.Utc), now));
    }

    [Theory]
    [InlineData("00:00:00", "0s")]
    [InlineData("00:00:00.0000001", "100ns")]
    [InlineData("00:00:00.0000015", "1.5µs")]
    [InlineData("00:00:00.001", "1ms")]
    [InlineData("00:00:00.0015", "1.5ms")]
    [InlineData("00:00:00.3", "300ms")]
    [InlineData("00:00:00.999", "999ms")]
    [InlineData("00:00:01", "1s")]
    [InlineData("00:00:01.5", "1.5s")]
    [InlineData("00:00:10", "10s")]
    [InlineData("00:00:59", "59s")]
    [InlineData("00:01:00", "1m0s")]
    [InlineData("00:01:20", "1m20s")]
    [InlineData("00:01:00.5", "1m0.5s")]
    [InlineData("00:05:00", "5m0s")]
    [InlineData("01:00:00", "1h0m0s")]
    [InlineData("01:01:01", "1h1m1s")]
    [InlineData("01:30:00", "1h30m0s")]
    [InlineData("4.04:00:00", "100h0m0s")]
    [InlineData("-00:00:10", "-10s")]
    [InlineData("-00:00:00.3", "-300ms")]
    public void GoDuration_Format_MatchesGo(string duration, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.ParseExact(duration, "c", CultureInfo.InvariantCulture)));
}
