using System.Collections.Concurrent;
using DurableKube.Domain.Events;
using DurableKube.Ports.Events;

namespace DurableKube.Workflows.Tests.Events;

/// <summary>A recorder that keeps what it is told, for tests of who records what.</summary>
internal sealed class RecordingEventRecorder : IEventRecorder
{
    private readonly ConcurrentQueue<EventReport> _reports = new();

    public IReadOnlyList<EventReport> Reports => [.. _reports];

    /// <summary>Gets the reports as "Reason Message" lines.</summary>
    public IReadOnlyList<string> Lines => [.. _reports.Select(r => $"{r.Reason} {r.Message}")];

    public void Record(EventReport report) => _reports.Enqueue(report);
}
