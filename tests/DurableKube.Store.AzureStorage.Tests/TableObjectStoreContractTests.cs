using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Tables;
using DurableKube.Testing.Azurite;
using DurableKube.Testing.Store;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The object store contract, held against the Azure Table store and the Storage queue on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableObjectStoreContractTests(AzuriteFixture azurite) : ObjectStoreContractTests
{
    private readonly AzureStoreHarness _harness = new(azurite);
    private TableObjectStore? _store;

    protected override Task<IObjectStore> CreateStoreAsync()
    {
        _store = _harness.CreateStore();
        return Task.FromResult<IObjectStore>(_store);
    }

    protected override Task CompactChangeLogAsync() => _store!.CompactChangeLogAsync(TimeSpan.Zero);

    protected override Task DisposeStoreAsync() => _harness.DeleteAsync();
}
