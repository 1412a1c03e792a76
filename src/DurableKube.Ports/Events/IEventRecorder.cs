using DurableKube.Domain.Events;

namespace DurableKube.Ports.Events;

/// <summary>
/// Records events about objects (client-go's <c>EventRecorder</c>): the kubelet's workflows and activities, the
/// scheduler and the controllers report what they did, and the recorder correlates and writes them as Events
/// through the one write path. Best effort: recording returns at once, never fails and never waits for the
/// write; a report that cannot be kept (the recorder's buffer is full) is dropped and logged.
/// </summary>
public interface IEventRecorder
{
    /// <summary>Records one event.</summary>
    /// <param name="report">What happened, to what, reported by whom.</param>
    void Record(EventReport report);
}
