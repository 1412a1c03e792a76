using System.Globalization;
using DurableKube.Ports.Store;
using DurableKube.Testing.Store;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The object store contract, held against the in-memory doubles the layers above test with.</summary>
public sealed class InMemoryObjectStoreContractTests : ObjectStoreContractTests
{
    private InMemoryObjectStore? _store;

    protected override Task<IObjectStore> CreateStoreAsync()
    {
        _store = new InMemoryObjectStore();
        return Task.FromResult<IObjectStore>(_store);
    }

    protected override async Task CompactChangeLogAsync() =>
        _store!.Compact(long.Parse(await _store.GetResourceVersionAsync(), CultureInfo.InvariantCulture) - 1);
}
