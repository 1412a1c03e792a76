using System.ComponentModel.DataAnnotations;
using DurableKube.Domain.Events;

namespace DurableKube.Workflows.Events;

/// <summary>How events are kept (the <c>Events</c> section).</summary>
public sealed class EventOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Events";

    /// <summary>Gets or sets how long an event lives after it was last written (<c>Events__Ttl</c>; the API server's <c>--event-ttl</c>, 1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Ttl { get; set; } = EventExpiry.DefaultTtl;

    /// <summary>Gets or sets how often expired events are swept away (<c>Events__SweepInterval</c>, 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many reported events wait to be written before new ones are dropped (<c>Events__Buffer</c>).</summary>
    [Range(1, 100_000)]
    public int Buffer { get; set; } = 1000;
}
