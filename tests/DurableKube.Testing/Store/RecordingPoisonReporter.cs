using System.Collections.Concurrent;
using DurableKube.Ports.Queue;

namespace DurableKube.Testing.Store;

/// <summary>A poison reporter that keeps what it is told, for tests of who reports what.</summary>
public sealed class RecordingPoisonReporter : IPoisonReporter
{
    private readonly ConcurrentQueue<PoisonMessage> _reports = new();

    /// <summary>Gets the messages reported, oldest first.</summary>
    public IReadOnlyList<PoisonMessage> Reports => [.. _reports];

    /// <inheritdoc />
    public void Report(PoisonMessage message) => _reports.Enqueue(message);
}
