using Azure.Data.Tables;
using Azure.Storage.Queues;
using DurableKube.Store.AzureStorage.Queues;
using DurableKube.Store.AzureStorage.Tables;
using DurableKube.Testing.Azurite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>A table and a queue of their own for one test, the store and work queue over them, and their removal afterwards.</summary>
internal sealed class AzureStoreHarness
{
    private readonly List<TableObjectStore> _stores = [];

    public AzureStoreHarness(AzuriteFixture azurite)
    {
        ConnectionString = azurite.ConnectionString;
        Options = new AzureStorageOptions
        {
            ConnectionString = ConnectionString,
            ObjectsTable = AzuriteFixture.UniqueName("kubeobjects"),
            ChangeQueue = AzuriteFixture.UniqueName("kube-changes-"),
        };
        Table = NewTableClient();
        var queues = new QueueServiceClient(ConnectionString, AzureStorageClients.CreateQueueClientOptions(NullLogger.Instance));
        Queue = queues.GetQueueClient(Options.ChangeQueue);
        PoisonQueue = queues.GetQueueClient(Options.ChangeQueue + "-poison");
        WorkQueue = new StorageQueueWorkQueue(Queue, NullLogger<StorageQueueWorkQueue>.Instance);
    }

    public string ConnectionString { get; }

    public AzureStorageOptions Options { get; }

    public TableClient Table { get; }

    public QueueClient Queue { get; }

    /// <summary>Gets the work queue's poison queue, with the same (base64) encoding.</summary>
    public QueueClient PoisonQueue { get; }

    public StorageQueueWorkQueue WorkQueue { get; }

    /// <summary>Makes a store over the harness's table: each one is what a separate process would have.</summary>
    public TableObjectStore CreateStore(TimeProvider? time = null, TableClient? table = null)
    {
        var store = new TableObjectStore(table ?? NewTableClient(), Options, time ?? TimeProvider.System, NullLogger<TableObjectStore>.Instance);
        _stores.Add(store);
        return store;
    }

    public TableClient NewTableClient(Action<TableClientOptions>? configure = null)
    {
        var options = new TableClientOptions();
        AzureStorageClients.ConfigureRetry(options.Retry);
        configure?.Invoke(options);
        return new TableServiceClient(ConnectionString, options).GetTableClient(Options.ObjectsTable);
    }

    /// <summary>Removes the table and the queues, and releases the stores.</summary>
    public async Task DeleteAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        await Table.DeleteAsync();
        await Queue.DeleteIfExistsAsync();
        await PoisonQueue.DeleteIfExistsAsync();
    }
}
