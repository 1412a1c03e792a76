using DurableKube.Ports.Runtime;

namespace DurableKube.Ports.Tests.Runtime;

public class UsageSamplerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_first_sample_gives_no_figures_and_a_second_gives_the_rate_over_the_window()
    {
        var sampler = new UsageSampler(TimeSpan.FromSeconds(1));

        var first = sampler.Observe("c", T0, 1_000_000_000, 100);
        var second = sampler.Observe("c", T0.AddSeconds(2), 2_000_000_000, 200);

        Assert.Null(first);
        Assert.Equal(new ResourceUsage(T0.AddSeconds(2), TimeSpan.FromSeconds(2), 500_000_000, 200), second);
    }

    [Fact]
    public void A_sample_sooner_than_the_window_returns_the_figures_last_computed()
    {
        var sampler = new UsageSampler(TimeSpan.FromSeconds(1));
        sampler.Observe("c", T0, 0, 100);
        var computed = sampler.Observe("c", T0.AddSeconds(1), 1_000_000_000, 200);

        var soon = sampler.Observe("c", T0.AddSeconds(1.5), 1_400_000_000, 300);
        var later = sampler.Observe("c", T0.AddSeconds(3), 1_500_000_000, 400);

        Assert.Equal(computed, soon);
        Assert.Equal(new ResourceUsage(T0.AddSeconds(3), TimeSpan.FromSeconds(2), 250_000_000, 400), later);
    }

    [Fact]
    public void A_sample_too_soon_after_the_first_has_nothing_yet()
    {
        var sampler = new UsageSampler(TimeSpan.FromSeconds(1));
        sampler.Observe("c", T0, 0, 100);

        Assert.Null(sampler.Observe("c", T0.AddMilliseconds(500), 10, 100));
    }

    [Fact]
    public void A_counter_that_goes_back_starts_again()
    {
        var sampler = new UsageSampler(TimeSpan.FromSeconds(1));
        sampler.Observe("c", T0, 5_000_000_000, 100);

        var reset = sampler.Observe("c", T0.AddSeconds(2), 1_000_000_000, 100);
        var after = sampler.Observe("c", T0.AddSeconds(3), 1_100_000_000, 100);

        Assert.Null(reset);
        Assert.Equal(100_000_000UL, after?.CpuNanoCores);
    }

    [Fact]
    public void Keys_not_retained_are_forgotten()
    {
        var sampler = new UsageSampler(TimeSpan.FromSeconds(1));
        sampler.Observe("kept", T0, 0, 1);
        sampler.Observe("gone", T0, 0, 1);

        sampler.Retain(["kept"]);

        Assert.NotNull(sampler.Observe("kept", T0.AddSeconds(1), 1, 1));
        Assert.Null(sampler.Observe("gone", T0.AddSeconds(1), 1, 1));
    }
}
