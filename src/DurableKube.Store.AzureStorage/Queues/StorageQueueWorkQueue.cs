using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Storage.Queues.Specialized;
using DurableKube.Ports.Queue;
using Microsoft.Extensions.Logging;

namespace DurableKube.Store.AzureStorage.Queues;

/// <summary>
/// <see cref="IWorkQueue"/> on an Azure Storage queue. Each message is the JSON of one
/// <see cref="ObjectChange"/>, base64-encoded, which is what the Azure Functions queue trigger reads
/// by default: the Functions host consumes the same queue. Changes that keep failing, and messages
/// that are not changes, go to <c>&lt;queue&gt;-poison</c> in the same account, as the Functions queue
/// trigger moves its poison messages.
/// </summary>
internal sealed class StorageQueueWorkQueue : IWorkQueue
{
    /// <summary>What the poison queue's name adds to the work queue's (the Functions queue trigger's convention).</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>The longest a message may stay hidden (the service's limit).</summary>
    private static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>How long a message being moved to the poison queue is held hidden from other readers.</summary>
    private static readonly TimeSpan HoldWhileMoving = TimeSpan.FromSeconds(30);

    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly ILogger _logger;
    private readonly IPoisonReporter? _reporter;
    private readonly AsyncOnce _createQueue;
    private readonly AsyncOnce _createPoisonQueue;

    /// <summary>Initializes a new instance of the <see cref="StorageQueueWorkQueue"/> class.</summary>
    /// <param name="queue">
    /// The queue, created on first use. Its client must use <see cref="QueueMessageEncoding.Base64"/>
    /// (<see cref="AzureStorageClients.CreateQueueClientOptions"/> makes such options). Its poison queue is the
    /// queue of its name plus <see cref="PoisonSuffix"/>, reached through the same account, credential and options.
    /// </param>
    /// <param name="logger">The logger.</param>
    /// <param name="reporter">Where a message that is not a change is reported when it is set aside, if anywhere.</param>
    public StorageQueueWorkQueue(QueueClient queue, ILogger<StorageQueueWorkQueue> logger, IPoisonReporter? reporter = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(logger);
        _queue = queue;
        _poison = queue.GetParentQueueServiceClient().GetQueueClient(queue.Name + PoisonSuffix);
        _logger = logger;
        _reporter = reporter;
        _createQueue = new AsyncOnce(() => _queue.CreateIfNotExistsAsync());
        _createPoisonQueue = new AsyncOnce(() => _poison.CreateIfNotExistsAsync());
    }

    /// <inheritdoc />
    public string PoisonQueueName => _poison.Name;

    /// <inheritdoc />
    public async Task EnqueueAsync(ObjectChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _createQueue.RunAsync(cancellationToken);
        await _queue.SendMessageAsync(BinaryData.FromObjectAsJson(change), cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The queue hides messages for whole seconds: the timeout is rounded up, to at least one second.</remarks>
    public async Task<IReadOnlyList<QueuedChange>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(visibilityTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(visibilityTimeout, MaxVisibilityTimeout);
        await _createQueue.RunAsync(cancellationToken);
        var hidden = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(visibilityTimeout.TotalSeconds)));
        QueueMessage[] messages = await _queue.ReceiveMessagesAsync(maxMessages, hidden, cancellationToken);
        var changes = new List<QueuedChange>(messages.Length);
        foreach (var message in messages)
        {
            if (Parse(message, out var reason) is { } change)
            {
                changes.Add(new QueuedChange(change, message.MessageId, message.PopReceipt, message.DequeueCount));
                continue;
            }

            // A message no handler can read would fail every time: set it aside at once, as it came, for a person to look at.
            try
            {
                if (await MoveAsync(message.MessageId, message.PopReceipt, message.Body, cancellationToken))
                {
                    Log.UnreadableMessageSetAside(_logger, message.MessageId, _poison.Name, reason);
                    _reporter?.Report(new PoisonMessage(message.MessageId, _poison.Name, null, message.DequeueCount, "it is not an object change: " + reason));
                }
            }
            catch (RequestFailedException)
            {
                // It comes back after its visibility timeout and is set aside then.
            }
        }

        return changes;
    }

    /// <inheritdoc />
    /// <remarks>A message that is already gone, or that another reader took after its visibility timeout, is left alone.</remarks>
    public async Task CompleteAsync(QueuedChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await _queue.DeleteMessageAsync(change.MessageId, change.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404 || e.ErrorCode == "PopReceiptMismatch")
        {
            // Gone (404), or its visibility timeout passed and another reader holds it now (400 PopReceiptMismatch):
            // at-least-once delivery, that reader handles it again.
            Log.CompletedMessageMissing(_logger, change.MessageId);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The body written to the poison queue is the change's JSON, base64-encoded, as <see cref="EnqueueAsync"/>
    /// writes it: a person can send it to the work queue again as it is.
    /// </remarks>
    public async Task MoveToPoisonAsync(QueuedChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (await MoveAsync(change.MessageId, change.PopReceipt, BinaryData.FromObjectAsJson(change.Change), cancellationToken))
        {
            Log.MovedToPoison(_logger, change.MessageId, change.Change.Resource, change.Change.Namespace, change.Change.Name, _poison.Name);
        }
    }

    /// <summary>
    /// Copies a message this reader holds to the poison queue, then deletes it from the work queue. It first
    /// renews its hold on the message, which proves it still holds it (so a second move, or one after another
    /// reader took the message, adds nothing) and keeps it hidden while it is copied.
    /// </summary>
    /// <returns>Whether the message was moved; <see langword="false"/> if this reader no longer held it.</returns>
    private async Task<bool> MoveAsync(string messageId, string popReceipt, BinaryData body, CancellationToken cancellationToken)
    {
        UpdateReceipt held;
        try
        {
            held = await _queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: HoldWhileMoving, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404 || e.ErrorCode == "PopReceiptMismatch")
        {
            Log.PoisonMessageNotHeld(_logger, messageId);
            return false;
        }

        await _createPoisonQueue.RunAsync(cancellationToken);
        await _poison.SendMessageAsync(body, cancellationToken: cancellationToken);
        try
        {
            await _queue.DeleteMessageAsync(messageId, held.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404 || e.ErrorCode == "PopReceiptMismatch")
        {
            // Held for longer than HoldWhileMoving: another reader has it now and moves it again.
            Log.CompletedMessageMissing(_logger, messageId);
        }

        return true;
    }

    private static ObjectChange? Parse(QueueMessage message, out string reason) =>
        ObjectChange.TryRead(message.Body.ToMemory().Span, out reason);
}
