using Azure.Identity;
using DurableKube.Store.AzureStorage;
using DurableTask.AzureStorage;

namespace DurableKube.LocalHost.Durable;

/// <summary>The Durable Task hub lives in the same storage account as the object store.</summary>
internal static class StorageAccount
{
    /// <summary>Gets the Durable Task Framework's clients for the store's account: its connection string, or its service URIs with Entra ID.</summary>
    /// <param name="options">The store's options, fallbacks applied.</param>
    /// <returns>The client provider.</returns>
    public static StorageAccountClientProvider ForDurableTask(AzureStorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new StorageAccountClientProvider(options.ConnectionString);
        }

        // The hub also needs blobs (leases, large messages): by Azure's naming, the same account's blob endpoint.
        var table = options.TableServiceUri ?? throw new InvalidOperationException("Storage needs a connection string or service URIs.");
        var blob = new UriBuilder(table) { Host = table.Host.Replace(".table.", ".blob.", StringComparison.Ordinal) }.Uri;
        if (blob == table)
        {
            throw new InvalidOperationException($"Cannot tell the blob endpoint of {table}; give Storage:ConnectionString instead.");
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
        return new StorageAccountClientProvider(blob, options.QueueServiceUri!, table, credential);
    }
}
