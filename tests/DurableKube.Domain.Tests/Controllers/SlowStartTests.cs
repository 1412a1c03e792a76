using DurableKube.Domain.Controllers;

namespace DurableKube.Domain.Tests.Controllers;

/// <summary>Creations in batches of 1, 2, 4, ... (controller_utils.go <c>slowStartBatch</c>).</summary>
public sealed class SlowStartTests
{
    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "1")]
    [InlineData(2, "1,1")]
    [InlineData(3, "1,2")]
    [InlineData(5, "1,2,2")]
    [InlineData(10, "1,2,4,3")]
    [InlineData(500, "1,2,4,8,16,32,64,128,245")]
    public void Batches_double_from_one_and_the_last_takes_the_rest(int count, string batches)
    {
        Assert.Equal(batches, string.Join(",", SlowStart.Batches(count)));
    }

    [Fact]
    public void The_burst_of_one_sync_is_Kubernetes_500()
    {
        Assert.Equal((500, 1), (SlowStart.BurstReplicas, SlowStart.InitialBatchSize));
    }
}
