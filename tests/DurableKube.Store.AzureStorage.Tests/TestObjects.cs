using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Testing.Store;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>Objects and small helpers the Table-specific tests share.</summary>
internal static class TestObjects
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static Task<IReadOnlyList<ObjectChangeEvent>> CollectAsync(IObjectStore store, ResourceType type, string? ns, string after, int count) =>
        WatchReader.CollectAsync(store, type, ns, after, count, WaitLimit);

    public static async Task<StoreException?> WatchErrorAsync(IObjectStore store, ResourceType type, string after)
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        try
        {
            await foreach (var change in store.WatchAsync(type, null, after, limit.Token))
            {
                return null;
            }
        }
        catch (StoreException e)
        {
            return e;
        }

        return null;
    }
}
