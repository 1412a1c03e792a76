using DurableKube.Api.Watch;

namespace DurableKube.Api.Tests.Watch;

public class WatchTimeoutTests
{
    [Theory]
    // Without timeoutSeconds: --min-request-timeout (1800 s) times a factor in [1, 2), so 30 to 60 minutes.
    [InlineData(null, 1800, null, 0.0, 1800)]
    [InlineData(null, 1800, null, 0.5, 2700)]
    [InlineData(null, 1800, null, 0.999, 3598.2)]
    [InlineData(0L, 1800, null, 0.25, 2250)]
    [InlineData(-5L, 1800, null, 0.25, 2250)]
    // timeoutSeconds as given, however long, when the host sets no maximum.
    [InlineData(30L, 1800, null, 0.7, 30)]
    [InlineData(7200L, 1800, null, 0.7, 7200)]
    // A host whose responses are cut (the Functions app) caps both.
    [InlineData(null, 1800, 200, 0.0, 200)]
    [InlineData(3600L, 1800, 200, 0.3, 200)]
    [InlineData(120L, 1800, 200, 0.3, 120)]
    // Never under a second.
    [InlineData(null, 1, 1, 0.0, 1)]
    public void The_timeout_is_chosen_as_the_api_server_chooses_it(long? requested, int minRequestTimeout, int? max, double random, double expectedSeconds)
    {
        var timeout = WatchTimeout.Choose(requested, minRequestTimeout, max, random);

        Assert.Equal(expectedSeconds, timeout.TotalSeconds, precision: 3);
    }

    [Fact]
    public void The_defaults_give_thirty_to_sixty_minutes_on_the_local_host()
    {
        var options = new KubernetesApiOptions();

        Assert.Equal(TimeSpan.FromMinutes(30), WatchTimeout.Choose(null, options.WatchTimeoutSeconds, options.MaxWatchTimeoutSeconds, 0));
        Assert.True(WatchTimeout.Choose(null, options.WatchTimeoutSeconds, options.MaxWatchTimeoutSeconds, 0.9999) < TimeSpan.FromMinutes(60));
        Assert.Null(options.MaxWatchTimeoutSeconds);
    }
}
