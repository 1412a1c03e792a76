using DurableKube.Api.Namespaces;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Store;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DurableKube.Api.Tests.Namespaces;

public class SystemNamespacesTests
{
    [Fact]
    public async Task Start_up_keeps_trying_while_the_store_does_not_answer()
    {
        var inner = new InMemoryObjectStore();
        var store = new FlakyStore(inner, failures: 3);
        var time = new FakeTimeProvider();
        var registry = new ObjectRegistry(store, BuiltInKinds.Registry(), [], time, NullLogger<ObjectRegistry>.Instance);
        using var service = new SystemNamespaces(registry, time, Microsoft.Extensions.Options.Options.Create(new KubernetesApiOptions()), NullLogger<SystemNamespaces>.Instance);

        await service.StartAsync(CancellationToken.None);
        for (var i = 0; i < 200 && (await inner.ListAsync(ResourceTypes.Namespaces, null, ListQuery.All)).Items.Count < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(10);
        }

        await service.StopAsync(CancellationToken.None);
        Assert.Equal(4, (await inner.ListAsync(ResourceTypes.Namespaces, null, ListQuery.All)).Items.Count);
        Assert.True(store.Failed >= 3);
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Support.ApiHost.StartAsync(new() { ["KubernetesApi:WatchTimeoutSeconds"] = "0" }));

        Assert.Contains("WatchTimeoutSeconds", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A store whose reads fail a given number of times, as Azurite does before it is up.</summary>
    private sealed class FlakyStore(IObjectStore inner, int failures) : IObjectStore
    {
        public int Failed { get; private set; }

        public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default)
        {
            if (Failed < failures)
            {
                Failed++;
                throw new HttpRequestException("connection refused");
            }

            return inner.GetAsync(key, cancellationToken);
        }

        public Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(type, @namespace, query, cancellationToken);

        public Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default) => inner.CreateAsync(type, obj, cancellationToken);

        public Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default) => inner.UpdateAsync(type, obj, cancellationToken);

        public Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, preconditions, cancellationToken);

        public Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default) => inner.GetResourceVersionAsync(cancellationToken);

        public IAsyncEnumerable<ObjectChangeEvent> WatchAsync(ResourceType type, string? @namespace, string afterResourceVersion, CancellationToken cancellationToken = default) => inner.WatchAsync(type, @namespace, afterResourceVersion, cancellationToken);
    }
}
