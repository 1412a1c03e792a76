using DurableKube.Domain.Events;

namespace DurableKube.Ports.Events;

/// <summary>A recorder that keeps nothing, for compositions without events (tools, tests that do not look at them).</summary>
public sealed class NullEventRecorder : IEventRecorder
{
    /// <summary>Gets the one instance.</summary>
    public static NullEventRecorder Instance { get; } = new();

    /// <inheritdoc />
    public void Record(EventReport report)
    {
    }
}
