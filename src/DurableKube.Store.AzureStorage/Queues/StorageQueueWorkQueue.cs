using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DurableKube.Ports.Queue;
using Microsoft.Extensions.Logging;

namespace DurableKube.Store.AzureStorage.Queues;

/// <summary>
/// <see cref="IWorkQueue"/> on an Azure Storage queue. Each message is the JSON of one
/// <see cref="ObjectChange"/>, base64-encoded, which is what the Azure Functions queue trigger reads
/// by default: the Functions host consumes the same queue.
/// </summary>
internal sealed class StorageQueueWorkQueue : IWorkQueue
{
    /// <summary>The longest a message may stay hidden (the service's limit).</summary>
    private static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    private readonly QueueClient _queue;
    private readonly ILogger _logger;
    private readonly AsyncOnce _createQueue;

    /// <summary>Initializes a new instance of the <see cref="StorageQueueWorkQueue"/> class.</summary>
    /// <param name="queue">
    /// The queue, created on first use. Its client must use <see cref="QueueMessageEncoding.Base64"/>
    /// (<see cref="AzureStorageClients.CreateQueueClientOptions"/> makes such options).
    /// </param>
    /// <param name="logger">The logger.</param>
    public StorageQueueWorkQueue(QueueClient queue, ILogger<StorageQueueWorkQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(logger);
        _queue = queue;
        _logger = logger;
        _createQueue = new AsyncOnce(() => _queue.CreateIfNotExistsAsync());
    }

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

            // A message no handler can read would come back forever: drop it, loudly.
            Log.PoisonMessage(_logger, message.MessageId, reason);
            try
            {
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            catch (RequestFailedException)
            {
                // It comes back after its visibility timeout and is dropped then.
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

    private static ObjectChange? Parse(QueueMessage message, out string reason)
    {
        try
        {
            var change = message.Body.ToObjectFromJson<ObjectChange>();
            if (change is { Resource: not null, Name: not null, Uid: not null, ResourceVersion: not null })
            {
                reason = string.Empty;
                return change;
            }

            reason = "fields are missing";
        }
        catch (JsonException e)
        {
            reason = e.Message;
        }

        return null;
    }
}
