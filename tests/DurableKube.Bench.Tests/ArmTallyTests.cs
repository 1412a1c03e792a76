using DurableKube.Bench;

namespace DurableKube.Bench.Tests;

public sealed class ArmTallyTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static ArmCall Read(double seconds) => new(Start.AddSeconds(seconds), ArmOperation.Read);

    private static ArmCall Write(double seconds) => new(Start.AddSeconds(seconds), ArmOperation.Write);

    [Theory]
    [InlineData("1764842400000\tGET", "Read")]
    [InlineData("1764842400000\tPUT", "Write")]
    [InlineData("1764842400000\tPATCH", "Write")]
    [InlineData("1764842400000\tPOST", "Write")]
    [InlineData("1764842400000\tDELETE", "Delete")]
    public void A_log_line_reads_back_as_its_time_and_what_ARM_counts_it_as(string line, string operation)
    {
        var call = ArmCall.Parse(line);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764842400000), call.Time);
        Assert.Equal(operation, call.Operation.ToString());
        Assert.Equal(line, ArmCall.Line(call.Time, line.Split('\t')[1]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET")]
    [InlineData("12x\tGET")]
    [InlineData("-5\tGET")]
    [InlineData("5\tGET\textra")]
    public void A_line_the_log_does_not_write_is_refused(string line) =>
        Assert.Throws<FormatException>(() => ArmCall.Parse(line));

    [Fact]
    public void The_log_is_read_to_its_last_complete_line()
    {
        var calls = ArmCall.ParseLog("1000\tGET\n2000\tPUT\n30").ToArray();
        Assert.Equal([ArmOperation.Read, ArmOperation.Write], calls.Select(c => c.Operation));
        Assert.Empty(ArmCall.ParseLog(string.Empty));
        Assert.Empty(ArmCall.ParseLog("1000\tGE"));
    }

    [Fact]
    public void Stretches_count_each_request_once_by_when_it_came_and_give_reads_per_pod_minute()
    {
        // Two minutes by stretches of one: the first 10 reads and a write, the second 4 reads and a delete; what came
        // before or at the end is outside.
        var calls = Enumerable.Range(0, 10).Select(i => Read(i)).Append(Write(5))
            .Concat(Enumerable.Range(0, 4).Select(i => Read(60 + i))).Append(new ArmCall(Start.AddSeconds(61), ArmOperation.Delete))
            .Append(Read(-1)).Append(Read(120)).ToArray();
        var stretches = ArmTally.Stretches(calls, Start, Start.AddMinutes(2), TimeSpan.FromMinutes(1), pods: 2);
        Assert.Equal(
            [
                new ArmStretch(TimeSpan.Zero, TimeSpan.FromMinutes(1), 10, 1, 0, 5),
                new ArmStretch(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), 4, 0, 1, 2),
            ],
            stretches);
    }

    [Fact]
    public void The_last_stretch_is_shorter_when_the_measurement_ends_inside_it_and_its_rate_is_by_its_own_length()
    {
        var calls = Enumerable.Range(0, 30).Select(i => Read(60 + i)).ToArray();
        var stretches = ArmTally.Stretches(calls, Start, Start.AddSeconds(90), TimeSpan.FromMinutes(1), pods: 1);
        Assert.Equal(2, stretches.Count);
        Assert.Equal(TimeSpan.FromSeconds(90), stretches[1].To);
        Assert.Equal(60, stretches[1].ReadsPerPodMinute, 6);
    }

    [Fact]
    public void A_remainder_of_seconds_joins_the_last_stretch()
    {
        var calls = Enumerable.Range(0, 63).Select(i => Read(60 + i)).ToArray();
        var stretches = ArmTally.Stretches(calls, Start, Start.AddSeconds(123), TimeSpan.FromMinutes(1), pods: 1);
        Assert.Equal(2, stretches.Count);
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(123), 63L), (stretches[1].From, stretches[1].To, stretches[1].Reads));
    }

    [Theory]
    // No request: the bucket stays full.
    [InlineData(0, 0.0, 250.0)]
    // 250 reads at once empty the bucket exactly; one more would have been refused.
    [InlineData(250, 0.0, 0.0)]
    [InlineData(251, 0.0, -1.0)]
    // 25 a second is what the bucket gains: it never falls below its size less one.
    [InlineData(1000, 0.04, 249.0)]
    // 50 a second: 498 taken in 9.94 s, 25 x 9.94 gained back, half a read left.
    [InlineData(498, 0.02, 0.5)]
    public void The_lowest_level_of_a_bucket_follows_its_size_and_refill(int reads, double spacing, double lowest)
    {
        var calls = Enumerable.Range(0, reads).Select(i => Read(i * spacing)).ToArray();
        Assert.Equal(lowest, ArmTally.LowestLevel(calls, ArmOperation.Read, ArmBucket.Reads), 3);
    }

    [Fact]
    public void A_bucket_counts_only_its_own_operation_and_does_not_fill_past_its_size()
    {
        // 300 writes at once would empty the writes' bucket, not the reads'. A long quiet refills the reads' bucket to
        // its size only: the next 250 at once leave it at zero, not below.
        var calls = Enumerable.Range(0, 300).Select(i => Write(0)).Concat(Enumerable.Range(0, 250).Select(i => Read(0)))
            .Concat(Enumerable.Range(0, 250).Select(i => Read(3600))).ToArray();
        Assert.Equal(0, ArmTally.LowestLevel(calls, ArmOperation.Read, ArmBucket.Reads), 6);
        Assert.Equal(-100, ArmTally.LowestLevel(calls, ArmOperation.Write, ArmBucket.Writes), 6);
    }
}
