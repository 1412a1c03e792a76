using DurableKube.Domain.Kubelet;

namespace DurableKube.Domain.Tests.Kubelet;

public class CrashLoopBackoffTests
{
    private static readonly DateTimeOffset T0 = TestPods.T0;

    [Theory]
    // Kubernetes' own values: immediate, then 10s doubling to a 300s cap.
    [InlineData(10, 300, new[] { 0, 10, 20, 40, 80, 160, 300, 300, 300 })]
    // The scaled values the end-to-end test uses.
    [InlineData(1, 4, new[] { 0, 1, 2, 4, 4, 4 })]
    // A cap that is not a power-of-two multiple of the initial delay.
    [InlineData(10, 25, new[] { 0, 10, 20, 25, 25 })]
    public void Delays_start_immediately_then_double_up_to_the_cap(int initial, int max, int[] expected)
    {
        var settings = new KubeletSettings(TimeSpan.FromSeconds(initial), TimeSpan.FromSeconds(max), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5));
        TimeSpan? backoff = null;
        var delays = new List<int>();
        for (var attempt = 0; attempt < expected.Length; attempt++)
        {
            // Each run crashes after one second.
            var run = new ContainerRun(attempt, T0).Exit(T0.AddSeconds(1), 1);
            delays.Add((int)CrashLoopBackoff.DelayAfter(backoff, run, settings).TotalSeconds);
            backoff = CrashLoopBackoff.Next(backoff, run, settings);
        }

        Assert.Equal(expected, delays);
    }

    [Theory]
    [InlineData(599, 40)] // not long enough: the sequence goes on
    [InlineData(600, 0)]  // ten minutes of clean running: back to an immediate restart
    [InlineData(3600, 0)]
    public void A_long_run_resets_the_sequence(int runSeconds, int expectedDelay)
    {
        var settings = KubeletSettings.Kubernetes;
        var run = new ContainerRun(3, T0).Exit(T0.AddSeconds(runSeconds), 1);
        Assert.Equal(expectedDelay, (int)CrashLoopBackoff.DelayAfter(TimeSpan.FromSeconds(40), run, settings).TotalSeconds);
        var next = CrashLoopBackoff.Next(TimeSpan.FromSeconds(40), run, settings);
        Assert.Equal(expectedDelay == 0 ? 10 : 80, (int)next.TotalSeconds);
    }

    [Fact]
    public void A_cap_below_the_initial_delay_lowers_the_initial_delay_too()
    {
        var settings = new KubeletSettings(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5)).Normalize();
        Assert.Equal(TimeSpan.FromSeconds(2), settings.BackoffInitial);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.BackoffMax);
    }

    [Theory]
    [InlineData(10, "back-off 10s restarting failed container=app pod=web_default(uid-1)")]
    [InlineData(80, "back-off 1m20s restarting failed container=app pod=web_default(uid-1)")]
    [InlineData(300, "back-off 5m0s restarting failed container=app pod=web_default(uid-1)")]
    public void The_waiting_message_is_the_kubelets(int seconds, string expected)
    {
        Assert.Equal(expected, CrashLoopBackoff.Message(TimeSpan.FromSeconds(seconds), "app", new PodIdentity("default", "web", "uid-1")));
    }
}
