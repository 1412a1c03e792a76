using DurableKube.Ports.Queue;
using DurableKube.Testing.Azurite;
using DurableKube.Testing.Store;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The work queue contract on an Azure Storage queue (Azurite), where time is real.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueWorkQueueContractTests(AzuriteFixture azurite) : WorkQueueContractTests
{
    private readonly AzureStoreHarness _harness = new(azurite);

    protected override Task<IWorkQueue> CreateQueueAsync() => Task.FromResult<IWorkQueue>(_harness.WorkQueue);

    protected override Task PassTimeAsync(TimeSpan duration) => Task.Delay(duration);

    protected override async Task<IReadOnlyList<ObjectChange>> PoisonedAsync()
    {
        if (!await _harness.PoisonQueue.ExistsAsync())
        {
            return [];
        }

        var messages = (await _harness.PoisonQueue.PeekMessagesAsync(32)).Value;
        return messages.Select(m => m.Body.ToObjectFromJson<ObjectChange>()!).ToList();
    }

    protected override Task DisposeQueueAsync() => _harness.DeleteAsync();
}
