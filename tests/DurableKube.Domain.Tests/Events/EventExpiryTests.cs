using DurableKube.Domain.Events;
using k8s.Models;

namespace DurableKube.Domain.Tests.Events;

/// <summary>Events expire a TTL after they were last written.</summary>
public sealed class EventExpiryTests
{
    private static readonly DateTime T0 = new(2026, 12, 3, 7, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(59, null, false)]
    [InlineData(60, null, true)]
    [InlineData(90, 40, false)]
    [InlineData(101, 40, true)]
    public void An_event_expires_an_hour_after_its_last_write(int minutesLater, int? seriesMinutes, bool expired)
    {
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { CreationTimestamp = T0 },
            FirstTimestamp = T0,
            LastTimestamp = T0,
            Series = seriesMinutes is { } m ? new Corev1EventSeries { Count = 2, LastObservedTime = T0.AddMinutes(m) } : null,
        };

        Assert.Equal(expired, EventExpiry.IsExpired(ev, T0.AddMinutes(minutesLater), EventExpiry.DefaultTtl));
    }

    [Fact]
    public void An_event_with_no_time_never_expires()
    {
        Assert.False(EventExpiry.IsExpired(new Corev1Event { Metadata = new V1ObjectMeta() }, T0, EventExpiry.DefaultTtl));
    }
}
