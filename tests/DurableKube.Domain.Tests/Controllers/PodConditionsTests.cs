using DurableKube.Domain.Controllers;
using static DurableKube.Domain.Tests.ReplicaSets.ReplicaSetPods;

namespace DurableKube.Domain.Tests.Controllers;

/// <summary>What controllers read from a pod (podutil <c>IsPodReady</c>, <c>IsPodAvailable</c>; controller <c>IsPodActive</c>).</summary>
public sealed class PodConditionsTests
{
    [Theory]
    [InlineData("Pending", false, true)]
    [InlineData("Running", false, true)]
    [InlineData("Unknown", false, true)]
    [InlineData("Running", true, false)]
    [InlineData("Succeeded", false, false)]
    [InlineData("Failed", false, false)]
    public void A_pod_is_active_unless_it_finished_or_is_being_deleted(string phase, bool deleting, bool active)
    {
        Assert.Equal(active, PodConditions.IsActive(Pod("p", phase: phase, deleting: deleting)));
    }

    [Theory]
    [InlineData(true, 0, 0, true, null)]
    [InlineData(false, 0, 3600, false, null)]
    [InlineData(true, 10, 3, false, 7.0)]
    [InlineData(true, 10, 10, true, null)]
    [InlineData(true, 10, 11, true, null)]
    public void A_pod_is_available_once_ready_for_minReadySeconds(bool ready, int minReadySeconds, double readyAgo, bool available, double? availableIn)
    {
        var pod = Pod("p", ready: ready, readyAgo: readyAgo);

        Assert.Equal(available, PodConditions.IsAvailable(pod, minReadySeconds, T0));
        Assert.Equal(availableIn is { } s ? T0.AddSeconds(s) : null, PodConditions.AvailableAt(pod, minReadySeconds, T0));
    }

    [Fact]
    public void A_ready_pod_whose_condition_has_no_time_is_available_only_without_minReadySeconds()
    {
        var pod = Pod("p", readyTime: false);

        Assert.True(PodConditions.IsAvailable(pod, 0, T0));
        Assert.False(PodConditions.IsAvailable(pod, 5, T0));
    }
}
