using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Tables;
using DurableKube.Testing.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static DurableKube.Store.AzureStorage.Tests.TestObjects;
using static DurableKube.Testing.Store.StoreObjects;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The background service that compacts the change log on its interval.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChangeLogCompactorTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AzureStoreHarness _harness = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DeleteAsync();

    [Fact]
    public async Task Compactor_OnItsInterval_RemovesEntriesPastTheRetention()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = _harness.CreateStore(time);
        for (var i = 0; i < 3; i++)
        {
            await store.CreateAsync(ResourceTypes.Pods, Pod("default", $"pod-{i}"));
        }

        var options = Options.Create(new AzureStorageOptions { ChangeLogRetention = TimeSpan.FromMinutes(5), ChangeLogCompactionInterval = TimeSpan.FromMinutes(1) });
        using var compactor = new ChangeLogCompactor(store, options, time, NullLogger<ChangeLogCompactor>.Instance);
        await compactor.StartAsync(CancellationToken.None);
        Assert.Null(await WatchErrorAsync(store, ResourceTypes.Pods, "0"));

        // Move the clock a minute at a time until a run has found the entries past the retention.
        StoreException? expired = null;
        using (var limit = new CancellationTokenSource(WaitLimit))
        {
            while (expired is null && !limit.IsCancellationRequested)
            {
                time.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(100, CancellationToken.None);
                expired = await WatchErrorAsync(store, ResourceTypes.Pods, "0");
            }
        }

        await compactor.StopAsync(CancellationToken.None);
        Assert.Equal(StoreErrorKind.Expired, expired?.Kind);
        Assert.Equal("too old resource version: 0 (2)", expired?.Message);
    }
}
