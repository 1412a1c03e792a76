namespace DurableKube.Ports.Queue;

/// <summary>
/// The controllers' work queue: changes to objects waiting to be turned into starting or signalling
/// workflows. Delivery is at least once: a change may be handled more than once, and handlers are
/// idempotent. A change that keeps failing is set aside on a poison queue, as the Azure Functions
/// queue trigger does, never dropped.
/// </summary>
public interface IWorkQueue
{
    /// <summary>
    /// Gets the name of the queue <see cref="MoveToPoisonAsync"/> sets changes aside on: the work queue's
    /// name followed by <c>-poison</c>, the name the Functions queue trigger uses for the same queue.
    /// </summary>
    string PoisonQueueName { get; }

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

    /// <summary>
    /// Sets a change that keeps failing aside: it goes to the poison queue (<see cref="PoisonQueueName"/>),
    /// with the message body it had, so a person can look at it and put it back on the work queue, and
    /// leaves the work queue.
    /// </summary>
    /// <remarks>
    /// The change is written to the poison queue before it leaves the work queue, so it is never lost; a
    /// crash in between may leave it in both, and it is then moved again. A change this reader no longer
    /// holds (completed or moved already, or taken again by another reader after its visibility timeout)
    /// is left alone, as <see cref="CompleteAsync"/> leaves it.
    /// </remarks>
    /// <param name="change">The change, as <see cref="ReceiveAsync"/> gave it.</param>
    /// <param name="cancellationToken">Cancels the move.</param>
    /// <returns>A task that completes when the change is on the poison queue and off the work queue.</returns>
    Task MoveToPoisonAsync(QueuedChange change, CancellationToken cancellationToken = default);
}
