using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static DurableKube.Store.AzureStorage.Tests.TestObjects;
using static DurableKube.Testing.Store.StoreObjects;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The store and queue as a host gets them from the container, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoreRegistrationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AzureStoreHarness _harness = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DeleteAsync();

    [Fact]
    public async Task RegisteredStore_CreatesItsTableAndQueue_AndTheQueueCarriesChanges()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _harness.ConnectionString,
            ["Storage:ObjectsTable"] = _harness.Options.ObjectsTable,
            ["Storage:ChangeQueue"] = _harness.Options.ChangeQueue,
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddAzureStorageObjectStore(configuration).BuildServiceProvider();
        var store = provider.GetRequiredService<IObjectStore>();
        var queue = provider.GetRequiredService<IWorkQueue>();

        var created = await store.CreateAsync(ResourceTypes.Pods, Pod("default", "web"));
        var sent = ObjectChange.Of(ResourceTypes.Pods, ObjectChangeType.Added, null, created);
        await queue.EnqueueAsync(sent);
        var change = Assert.Single(await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1)));
        await queue.CompleteAsync(change);

        // The store queues nothing itself: the registry's write hooks do (Workflows' ChangeNotifier).
        Assert.Empty(await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1)));
        Assert.Equal(Json(created), Json(await _harness.CreateStore().GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"))));
        Assert.Equal(sent, change.Change);
    }
}
