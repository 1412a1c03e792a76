using DurableKube.Bench;

namespace DurableKube.Bench.Tests;

public sealed class StatsTests
{
    [Theory]
    [InlineData(new double[] { 7 }, 50, 7)]
    [InlineData(new double[] { 7 }, 99, 7)]
    [InlineData(new double[] { 1, 2 }, 50, 1)]
    [InlineData(new double[] { 1, 2 }, 99, 2)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new double[] { 1, 2, 3, 4, 5 }, 50, 3)]
    [InlineData(new double[] { 1, 2, 3, 4, 5 }, 100, 5)]
    public void Percentile_is_the_nearest_rank(double[] sorted, double p, double expected) =>
        Assert.Equal(expected, Stats.Percentile(sorted, p));

    [Fact]
    public void The_99th_of_200_values_is_the_198th()
    {
        var values = Enumerable.Range(1, 200).Select(i => (double)i).ToArray();
        Assert.Equal(198, Stats.Percentile(values, 99));
        Assert.Equal(100, Stats.Percentile(values, 50));
    }

    [Fact]
    public void Summary_sorts_before_ranking()
    {
        var summary = Summary.Of([5, 1, 4, 2, 3]);
        Assert.Equal(new Summary(5, 3, 5), summary);
    }

    [Fact]
    public void Summary_of_nothing_is_empty() => Assert.Equal(Summary.Empty, Summary.Of([]));

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void A_percentile_out_of_range_is_refused(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Stats.Percentile([1.0], p));

    [Fact]
    public void No_values_have_no_percentile() => Assert.Throws<ArgumentException>(() => Stats.Percentile([], 50));

    [Theory]
    [InlineData(10, 2.0, 5.0)]
    [InlineData(10, 0.0, 0.0)]
    [InlineData(0, 1.0, 0.0)]
    public void PerSecond_divides_by_the_elapsed_time(int count, double seconds, double expected) =>
        Assert.Equal(expected, Stats.PerSecond(count, TimeSpan.FromSeconds(seconds)));
}
