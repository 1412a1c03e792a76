using DurableKube.Domain.Kubelet;

namespace DurableKube.Domain.Tests.Kubelet;

public class SchedulingBackoffTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(100, 10)]
    [InlineData(int.MaxValue, 10)]
    [InlineData(0, 1)]
    public void It_starts_at_a_second_and_doubles_to_ten_as_kube_scheduler(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SchedulingBackoff.After(attempts));
}
