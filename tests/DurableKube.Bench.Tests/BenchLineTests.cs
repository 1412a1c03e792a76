using DurableKube.Bench;

namespace DurableKube.Bench.Tests;

public sealed class BenchLineTests
{
    [Fact]
    public void The_line_has_the_issues_fields_in_its_order()
    {
        var line = BenchLine.Format(new BenchFigures(200, 12.346, 1234.4, 4999.6, 24.692, 14.26, 87.2, 85.84, 0.5));
        Assert.Equal(
            "bench: pods=200 pods_per_s=12.35 running_p50_ms=1234 running_p99_ms=5000 baseline_per_s=24.69 ratio=0.50 delete_s=14.3 api_p99_ms=87 storage_req_per_pod=85.8 arm_req_per_pod_min=0.50",
            line);
    }

    [Fact]
    public void What_was_not_measured_says_na()
    {
        var line = BenchLine.Format(new BenchFigures(3, 1, 2, 3, 0, 4, 5, double.NaN, null));
        Assert.EndsWith("baseline_per_s=0.00 ratio=0.00 delete_s=4.0 api_p99_ms=5 storage_req_per_pod=na arm_req_per_pod_min=na", line);
    }

    [Fact]
    public void A_run_of_ARMs_phase_alone_says_na_for_every_pod_scenario()
    {
        var line = BenchLine.Format(BenchFigures.NotMeasured(1000) with { ArmRequestsPerPodMinute = 0.0876 });
        Assert.Equal(
            "bench: pods=1000 pods_per_s=na running_p50_ms=na running_p99_ms=na baseline_per_s=na ratio=na delete_s=na api_p99_ms=na storage_req_per_pod=na arm_req_per_pod_min=0.09",
            line);
    }

    [Theory]
    [InlineData(10, 20, 0.5)]
    [InlineData(30, 20, 1.5)]
    [InlineData(10, 0, 0)]
    public void Ratio_is_pods_per_second_over_the_floor(double pods, double floor, double expected) =>
        Assert.Equal(expected, new BenchFigures(1, pods, 0, 0, floor, 0, 0, 0, null).Ratio);

    [Fact]
    public void The_table_aligns_its_columns()
    {
        var table = BenchTable.Format(["what", "n"], [["a", "1"], ["longer", "200"]]);
        Assert.Equal(string.Join(Environment.NewLine, "what      n", "a         1", "longer  200"), table);
    }
}
