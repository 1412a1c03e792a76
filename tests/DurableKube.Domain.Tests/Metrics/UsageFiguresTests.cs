using DurableKube.Domain.Metrics;

namespace DurableKube.Domain.Tests.Metrics;

public class UsageFiguresTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(2_113_046UL, "2113046n")]
    [InlineData(12_000_000UL, "12m")]
    [InlineData(1_500_000_000UL, "1500m")]
    [InlineData(1_000_000_000UL, "1")]
    [InlineData(250_000UL, "250u")]
    [InlineData(4_000_000_000_000UL, "4k")]
    public void Cpu_is_written_as_a_canonical_nano_quantity(ulong nanoCores, string expected) =>
        Assert.Equal(expected, UsageFigures.FormatCpu(nanoCores));

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(1000UL, "1000")]
    [InlineData(3456UL * 1024, "3456Ki")]
    [InlineData(1024UL * 1024, "1Mi")]
    [InlineData(5UL * 1024 * 1024 * 1024, "5Gi")]
    [InlineData(1536UL * 1024 * 1024, "1536Mi")]
    public void Memory_is_written_as_a_canonical_binary_quantity(ulong bytes, string expected) =>
        Assert.Equal(expected, UsageFigures.FormatMemory(bytes));

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(10_500_000_000L, "10.5s")]
    [InlineData(20_046_000_000L, "20.046s")]
    [InlineData(60_250_000_000L, "1m0.25s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(750_000_000L, "750ms")]
    [InlineData(1_500_000L, "1.5ms")]
    [InlineData(1_000L, "1µs")]
    public void Windows_are_written_as_go_durations(long nanoseconds, string expected) =>
        Assert.Equal(expected, UsageFigures.FormatWindow(TimeSpan.FromTicks(nanoseconds / 100)));

    [Theory]
    [InlineData(0UL, 1_000_000_000UL, 1000, 1_000_000_000UL)]
    [InlineData(5_000_000_000UL, 5_500_000_000UL, 2000, 250_000_000UL)]
    [InlineData(100UL, 100UL, 1000, 0UL)]
    public void Cpu_rate_is_the_time_used_over_the_window(ulong earlier, ulong later, int windowMilliseconds, ulong expected) =>
        Assert.Equal(expected, UsageFigures.NanoCores(earlier, T0, later, T0.AddMilliseconds(windowMilliseconds)));

    [Theory]
    [InlineData(10UL, 5UL, 1000)]
    [InlineData(5UL, 10UL, 0)]
    [InlineData(5UL, 10UL, -1000)]
    public void No_rate_over_an_empty_window_or_a_counter_that_went_back(ulong earlier, ulong later, int windowMilliseconds) =>
        Assert.Null(UsageFigures.NanoCores(earlier, T0, later, T0.AddMilliseconds(windowMilliseconds)));

    [Theory]
    [InlineData("4242 (sh) R 1 4242 4242 0 -1 4194304 100 0 0 0 250 30 0 0 20 0 1 0 12345 4000000 512 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0", 280UL, 512UL)]
    [InlineData("77 (a (weird) name) S 1 77 77 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 99 1000 3 0", 10UL, 3UL)]
    public void Process_stat_gives_cpu_ticks_and_resident_pages(string stat, ulong cpuTicks, ulong rssPages) =>
        Assert.Equal((cpuTicks, rssPages), UsageFigures.ParseProcessStat(stat));

    [Theory]
    [InlineData("")]
    [InlineData("4242 (sh) R 1 2 3")]
    [InlineData("4242 (sh) R 1 4242 4242 0 -1 4194304 100 0 0 0 x 30 0 0 20 0 1 0 12345 4000000 512 0")]
    public void Other_text_is_not_a_process_stat(string stat) => Assert.Null(UsageFigures.ParseProcessStat(stat));

    [Fact]
    public void Host_busy_time_is_every_cpu_field_but_idle_and_iowait()
    {
        const string stat = "cpu  100 20 30 4000 50 6 7 8 90 10\ncpu0 50 10 15 2000 25 3 3 4 45 5\nintr 1 2 3\n";

        Assert.Equal(100UL + 20 + 30 + 6 + 7 + 8, UsageFigures.ParseHostBusyTicks(stat));
        Assert.Null(UsageFigures.ParseHostBusyTicks("intr 1 2 3\n"));
    }

    [Theory]
    [InlineData("MemTotal:       16000 kB\nMemFree:         4000 kB\nMemAvailable:    9000 kB\nInactive(file):   3000 kB\n", 9000UL * 1024)]
    [InlineData("MemTotal:       16000 kB\nMemFree:         4000 kB\n", 12000UL * 1024)]
    [InlineData("MemTotal:       16000 kB\nMemFree:        15000 kB\nInactive(file):   3000 kB\n", 0UL)]
    public void Host_working_set_is_used_memory_less_inactive_file_cache(string meminfo, ulong expected) =>
        Assert.Equal(expected, UsageFigures.ParseHostWorkingSetBytes(meminfo));

    [Fact]
    public void Host_working_set_needs_total_and_free() => Assert.Null(UsageFigures.ParseHostWorkingSetBytes("MemTotal: 16000 kB\n"));

    [Theory]
    [InlineData(10_000UL, "inactive_file", 4_000UL, 6_000UL)]
    [InlineData(10_000UL, "total_inactive_file", 1_000UL, 9_000UL)]
    [InlineData(10_000UL, "active_file", 1_000UL, 10_000UL)]
    [InlineData(1_000UL, "inactive_file", 4_000UL, 0UL)]
    public void Docker_working_set_is_usage_less_inactive_file_cache(ulong usage, string stat, ulong value, ulong expected) =>
        Assert.Equal(expected, UsageFigures.DockerWorkingSetBytes(usage, new Dictionary<string, ulong> { [stat] = value }));

    [Theory]
    [InlineData(100UL, 100L, 1_000_000_000UL)]
    [InlineData(3UL, 1000L, 3_000_000UL)]
    [InlineData(3UL, 0L, 0UL)]
    public void Clock_ticks_become_nanoseconds(ulong ticks, long perSecond, ulong expected) =>
        Assert.Equal(expected, UsageFigures.TicksToNanoseconds(ticks, perSecond));

    [Fact]
    public void Times_are_written_to_the_second_in_utc() =>
        Assert.Equal("2026-12-03T07:00:01Z", UsageFigures.FormatTime(new DateTimeOffset(2026, 12, 3, 8, 0, 1, 999, TimeSpan.FromHours(1))));
}
