using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;
using DurableKube.Ports.Queue;
using Microsoft.Extensions.Logging;

namespace DurableKube.Store.AzureStorage;

/// <summary>
/// Makes the table and queue clients from <see cref="AzureStorageOptions"/>: a connection string, or
/// service URIs with <see cref="DefaultAzureCredential"/> (a managed identity in Azure). Transient
/// failures (HTTP 408, 429, 5xx, timeouts, dropped connections) are retried by the SDK's own retry
/// policy, configured here.
/// </summary>
internal static class AzureStorageClients
{
    /// <summary>Applies the retry policy both clients use.</summary>
    /// <param name="retry">The SDK's retry options.</param>
    public static void ConfigureRetry(RetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 5;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(10);
        retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>Makes the client of the objects table.</summary>
    /// <param name="options">The options.</param>
    /// <param name="credential">The credential for service URIs (made lazily, shared).</param>
    /// <returns>The table client.</returns>
    public static TableClient CreateTableClient(AzureStorageOptions options, Lazy<TokenCredential> credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var clientOptions = new TableClientOptions();
        ConfigureRetry(clientOptions.Retry);
        var service = options.TableServiceUri is { } uri
            ? new TableServiceClient(uri, credential.Value, clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
        return service.GetTableClient(options.ObjectsTable);
    }

    /// <summary>Makes the client of the change queue, with base64 message encoding as the Functions queue trigger expects.</summary>
    /// <param name="options">The options.</param>
    /// <param name="credential">The credential for service URIs (made lazily, shared).</param>
    /// <param name="logger">Where undecodable messages are logged.</param>
    /// <param name="reporter">Where undecodable messages are reported, if anywhere.</param>
    /// <returns>The queue client.</returns>
    public static QueueClient CreateQueueClient(AzureStorageOptions options, Lazy<TokenCredential> credential, ILogger logger, IPoisonReporter? reporter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var clientOptions = CreateQueueClientOptions(logger, reporter);
        var service = options.QueueServiceUri is { } uri
            ? new QueueServiceClient(uri, credential.Value, clientOptions)
            : new QueueServiceClient(options.ConnectionString, clientOptions);
        return service.GetQueueClient(options.ChangeQueue);
    }

    /// <summary>
    /// Makes the queue client options: base64 messages, the retry policy, and undecodable messages set aside on the
    /// queue's poison queue (<c>&lt;queue&gt;-poison</c>), as they came, and reported, as the Functions queue trigger
    /// sets them aside.
    /// </summary>
    /// <param name="logger">Where undecodable messages are logged.</param>
    /// <param name="reporter">Where undecodable messages are reported (a counter, a log), if anywhere.</param>
    /// <returns>The options.</returns>
    public static QueueClientOptions CreateQueueClientOptions(ILogger logger, IPoisonReporter? reporter = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        ConfigureRetry(clientOptions.Retry);
        clientOptions.MessageDecodingFailed += async args =>
        {
            // Not base64: no handler can read it, and left alone it would come back forever. It is copied to the
            // poison queue first (its bytes as they came, under the queue's base64 encoding), then deleted: never dropped.
            if (args.ReceivedMessage is { } message)
            {
                var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(args.Queue.Name + Queues.StorageQueueWorkQueue.PoisonSuffix);
                if (args.IsRunningSynchronously)
                {
                    poison.CreateIfNotExists(cancellationToken: args.CancellationToken);
                    poison.SendMessage(message.Body, cancellationToken: args.CancellationToken);
                    args.Queue.DeleteMessage(message.MessageId, message.PopReceipt, args.CancellationToken);
                }
                else
                {
                    await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken);
                    await poison.SendMessageAsync(message.Body, cancellationToken: args.CancellationToken);
                    await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken);
                }

                Log.PoisonMessage(logger, message.MessageId, "not base64");
                reporter?.Report(new PoisonMessage(message.MessageId, poison.Name, null, message.DequeueCount, "the message is not base64"));
            }
        };
        return clientOptions;
    }

    /// <summary>Makes the credential used with service URIs.</summary>
    /// <param name="options">The options (a user-assigned identity's client id, if any).</param>
    /// <returns>The credential.</returns>
    public static TokenCredential CreateCredential(AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
        });
    }
}
