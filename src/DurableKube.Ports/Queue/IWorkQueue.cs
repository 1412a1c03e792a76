namespace DurableKube.Ports.Queue;

/// <summary>
/// The controllers' work queue: changes to objects waiting to be turned into starting or signalling
/// workflows. Delivery is at least once: a change may be handled more than once, and handlers are
/// idempotent.
/// </summary>
public interface IWorkQueue
{
    /// <summary>Puts a change on the queue.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the change is durably queued.</returns>
    Task EnqueueAsync(ObjectChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="maxMessages"/> changes off the queue, hiding them from other
    /// readers for <paramref name="visibilityTimeout"/>; a change not completed in that time comes back.
    /// </summary>
    /// <param name="maxMessages">The most to take (1-32).</param>
    /// <param name="visibilityTimeout">How long the taken changes stay hidden.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The changes taken, possibly none.</returns>
    Task<IReadOnlyList<QueuedChange>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Removes a handled change from the queue.</summary>
    /// <param name="change">The change, as <see cref="ReceiveAsync"/> gave it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the change is gone.</returns>
    Task CompleteAsync(QueuedChange change, CancellationToken cancellationToken = default);
}
