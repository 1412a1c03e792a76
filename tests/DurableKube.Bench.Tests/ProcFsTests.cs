using DurableKube.Bench;

namespace DurableKube.Bench.Tests;

public sealed class ProcFsTests
{
    private const string Status = "Name:\tdotnet\nVmPeak:\t 3000000 kB\nVmHWM:\t  215432 kB\nVmRSS:\t  200000 kB\n";

    [Fact]
    public void VmHWM_is_read_in_bytes() => Assert.Equal(215432L * 1024, ProcFs.PeakResidentBytes(Status));

    [Fact]
    public void No_VmHWM_is_null() => Assert.Null(ProcFs.PeakResidentBytes("Name:\tkthreadd\n"));

    [Fact]
    public void A_VmHWM_in_another_unit_is_refused() => Assert.Throws<FormatException>(() => ProcFs.PeakResidentBytes("VmHWM:\t 2 MB\n"));

    [Fact]
    public void Cpu_time_is_utime_plus_stime()
    {
        // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        const string stat = "4242 (dotnet) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 566 0 0 20 0 30 0 100 0 0";
        Assert.Equal(18.0, ProcFs.CpuSeconds(stat));
    }

    [Fact]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        const string stat = "7 (my (odd) name) R 1 7 7 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 5 0 0";
        Assert.Equal(3.0, ProcFs.CpuSeconds(stat));
    }

    [Fact]
    public void A_short_stat_line_is_refused() => Assert.Throws<FormatException>(() => ProcFs.CpuSeconds("1 (x) S 1 2"));

    [Theory]
    [InlineData("0.46 4.29 8.14 2/478 27219\n", "0.46")]
    [InlineData("", "?")]
    [InlineData("busy", "?")]
    public void The_load_is_the_first_field_of_loadavg(string loadavg, string expected) => Assert.Equal(expected, ProcFs.LoadAverage(loadavg));
}
