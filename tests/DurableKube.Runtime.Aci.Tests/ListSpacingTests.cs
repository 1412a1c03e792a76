namespace DurableKube.Runtime.Aci.Tests;

/// <summary>How long a node waits between two lists of its resource group, by the groups it holds (the read budget's share).</summary>
public sealed class ListSpacingTests
{
    [Theory]
    [InlineData(0, 2700)] // No group yet: as one group.
    [InlineData(1, 2700)] // 3 × 15 min.
    [InlineData(10, 270)]
    [InlineData(90, 30)] // From here on, the observe interval.
    [InlineData(1000, 30)]
    public void The_list_is_spaced_to_three_max_read_intervals_shared_by_the_groups_never_under_the_observe_interval(int groups, int seconds)
    {
        var defaults = new AciRuntimeOptions();

        var spacing = AciContainerRuntime.ListSpacing(defaults.MaxReadInterval, defaults.ObserveInterval, groups);

        Assert.Equal(TimeSpan.FromSeconds(seconds), spacing);
    }
}
