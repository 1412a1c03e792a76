using DurableKube.Bench;

namespace DurableKube.Bench.Tests;

public sealed class BenchPhasesTests
{
    [Fact]
    public void No_option_runs_every_phase() =>
        Assert.Equal(["floor", "replicaset", "burst", "completion", "aci"], BenchPhases.Parse(null).OrderBy(p => BenchPhases.All.ToList().IndexOf(p)));

    [Theory]
    [InlineData("aci", new[] { "aci" })]
    [InlineData("burst,completion", new[] { "burst", "completion" })]
    [InlineData(" floor , burst ,", new[] { "burst", "floor" })]
    public void Named_phases_are_the_ones_run(string text, string[] phases) =>
        Assert.Equal(phases.Order(), BenchPhases.Parse(text).Order());

    [Theory]
    [InlineData("delete", "'delete' is not a phase")]
    [InlineData("Burst", "'Burst' is not a phase")]
    [InlineData(",", "names none")]
    [InlineData("", "names none")]
    public void A_name_that_is_not_a_phase_is_refused_with_the_list(string text, string says)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchPhases.Parse(text));
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
        Assert.Contains("floor, replicaset, burst, completion, aci", e.Message, StringComparison.Ordinal);
    }
}
