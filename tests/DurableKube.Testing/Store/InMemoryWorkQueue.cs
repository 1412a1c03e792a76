using System.Globalization;
using DurableKube.Ports.Queue;

namespace DurableKube.Testing.Store;

/// <summary>
/// An <see cref="IWorkQueue"/> in memory with the same visibility-timeout semantics as a storage queue; the
/// changes it sets aside as poison stay in <see cref="Poisoned"/> for tests to look at.
/// </summary>
public sealed class InMemoryWorkQueue : IWorkQueue
{
    /// <summary>The name this queue goes by in logs (the storage queue's default).</summary>
    public const string Name = "kube-changes";

    private readonly Lock _gate = new();
    private readonly List<Entry> _messages = [];
    private readonly List<ObjectChange> _poisoned = [];
    private readonly TimeProvider _time;
    private long _nextId;

    /// <summary>Initializes a new instance of the <see cref="InMemoryWorkQueue"/> class.</summary>
    /// <param name="time">The clock visibility timeouts are measured on.</param>
    public InMemoryWorkQueue(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Gets every change still on the queue, visible or not, oldest first.</summary>
    public IReadOnlyList<ObjectChange> Pending
    {
        get
        {
            lock (_gate)
            {
                return _messages.Select(m => m.Change).ToList();
            }
        }
    }

    /// <summary>Gets every change set aside as poison, oldest first.</summary>
    public IReadOnlyList<ObjectChange> Poisoned
    {
        get
        {
            lock (_gate)
            {
                return [.. _poisoned];
            }
        }
    }

    /// <inheritdoc />
    public string PoisonQueueName => Name + "-poison";

    /// <inheritdoc />
    public Task EnqueueAsync(ObjectChange change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _messages.Add(new Entry((++_nextId).ToString(CultureInfo.InvariantCulture), change) { VisibleAt = _time.GetUtcNow() });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueuedChange>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var taken = new List<QueuedChange>();
            foreach (var entry in _messages.Where(m => m.VisibleAt <= now).Take(maxMessages))
            {
                entry.VisibleAt = now + visibilityTimeout;
                entry.DequeueCount++;
                entry.PopReceipt = Guid.NewGuid().ToString("N");
                taken.Add(new QueuedChange(entry.Change, entry.Id, entry.PopReceipt, entry.DequeueCount));
            }

            return Task.FromResult<IReadOnlyList<QueuedChange>>(taken);
        }
    }

    /// <inheritdoc />
    public Task CompleteAsync(QueuedChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            _messages.RemoveAll(m => m.Id == change.MessageId && m.PopReceipt == change.PopReceipt);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MoveToPoisonAsync(QueuedChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            // Only the reader that holds it now moves it, as with CompleteAsync.
            var held = _messages.FindIndex(m => m.Id == change.MessageId && m.PopReceipt == change.PopReceipt);
            if (held >= 0)
            {
                _poisoned.Add(_messages[held].Change);
                _messages.RemoveAt(held);
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Entry(string id, ObjectChange change)
    {
        public string Id { get; } = id;

        public ObjectChange Change { get; } = change;

        public DateTimeOffset VisibleAt { get; set; }

        public long DequeueCount { get; set; }

        public string? PopReceipt { get; set; }
    }
}
