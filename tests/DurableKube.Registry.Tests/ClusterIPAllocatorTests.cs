using DurableKube.Domain.Kinds;
using DurableKube.Domain.Networking;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Registry.Services;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Registry.Tests;

public sealed class ClusterIPAllocatorTests
{
    private readonly RegistryHarness _harness = new();
    private readonly ObjectRegistry _registry;
    private readonly ClusterIPAllocator _allocator;

    public ClusterIPAllocatorTests()
    {
        _allocator = new ClusterIPAllocator(new ServiceClusterIPRange(Ipv4Cidr.Parse("127.96.0.0/28")), _harness.Store, _harness.Time);
        _registry = new ObjectRegistry(_harness.Store, BuiltInKinds.Registry(), [_allocator], _harness.Time, NullLogger<ObjectRegistry>.Instance);
    }

    private static V1Service Service(string name, string? clusterIP = null, string type = "ClusterIP") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIP,
            ExternalName = type == "ExternalName" ? "example.com" : null,
            Ports = type == "ExternalName" ? null : [new V1ServicePort { Port = 80 }],
        },
    };

    private async Task<V1Service> CreateAsync(V1Service service) => (V1Service)await _registry.CreateAsync(ResourceTypes.Services, service);

    private async Task<IReadOnlyList<string>> AllocatedAsync() =>
        [.. (await _harness.Store.ListAsync(ResourceTypes.IPAddresses, null, ListQuery.All)).Items.Select(i => i.Metadata.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Services_created_at_once_get_distinct_addresses_each_recorded_as_an_IPAddress_naming_its_Service()
    {
        await _harness.NamespaceAsync("default");

        var created = await Task.WhenAll(Enumerable.Range(0, 14).Select(i => CreateAsync(Service($"s{i}"))));

        var ips = created.Select(s => s.Spec.ClusterIP).ToList();
        Assert.Equal(14, ips.Distinct().Count());
        Assert.All(created, s => Assert.Equal([s.Spec.ClusterIP], s.Spec.ClusterIPs));
        Assert.All(created, s => Assert.Equal(["IPv4"], s.Spec.IpFamilies));
        Assert.Equal(ips.Order(StringComparer.Ordinal), await AllocatedAsync());
        var address = (V1IPAddress)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.IPAddresses, null, created[3].Spec.ClusterIP)))!;
        Assert.Equal(("services", "default", "s3"), (address.Spec.ParentRef.Resource, address.Spec.ParentRef.NamespaceProperty, address.Spec.ParentRef.Name));
    }

    [Fact]
    public async Task A_full_range_refuses_the_next_Service()
    {
        await _harness.NamespaceAsync("default");
        for (var i = 0; i < 14; i++)
        {
            await CreateAsync(Service($"s{i}"));
        }

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => CreateAsync(Service("one-too-many")));

        Assert.Contains("failed to allocate a serviceIP: range is full", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requested_address_is_honoured_or_refused_with_Kubernetes_words()
    {
        await _harness.NamespaceAsync("default");

        var chosen = await CreateAsync(Service("chosen", "127.96.0.9"));
        var taken = await Assert.ThrowsAsync<ObjectRejectedException>(() => CreateAsync(Service("taken", "127.96.0.9")));
        var outside = await Assert.ThrowsAsync<ObjectRejectedException>(() => CreateAsync(Service("outside", "10.0.0.1")));
        var broadcast = await Assert.ThrowsAsync<ObjectRejectedException>(() => CreateAsync(Service("broadcast", "127.96.0.15")));

        Assert.Equal("127.96.0.9", chosen.Spec.ClusterIP);
        Assert.Equal("spec.clusterIPs: Invalid value: [\"127.96.0.9\"]: failed to allocate IP 127.96.0.9: provided IP is already allocated", Assert.Single(taken.Errors).ToString());
        Assert.Equal(
            "spec.clusterIPs: Invalid value: [\"10.0.0.1\"]: failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 127.96.0.0/28",
            Assert.Single(outside.Errors).ToString());
        Assert.Contains("is not in the valid range", Assert.Single(broadcast.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headless_and_ExternalName_Services_take_no_address()
    {
        await _harness.NamespaceAsync("default");

        var headless = await CreateAsync(Service("headless", "None"));
        var external = await CreateAsync(Service("external", type: "ExternalName"));

        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.Null(external.Spec.ClusterIP);
        Assert.Empty(await AllocatedAsync());
    }

    [Fact]
    public async Task Deleting_a_Service_or_making_it_ExternalName_releases_its_address()
    {
        await _harness.NamespaceAsync("default");
        var a = await CreateAsync(Service("a"));
        var b = await CreateAsync(Service("b"));

        await _registry.DeleteAsync(new ObjectKey(ResourceTypes.Services, "default", "a"));
        await _registry.UpdateAsync(new ObjectKey(ResourceTypes.Services, "default", "b"), obj =>
        {
            var service = (V1Service)obj;
            service.Spec.Type = "ExternalName";
            service.Spec.ExternalName = "example.com";
            service.Spec.Ports = null;
            return service;
        });

        Assert.Empty(await AllocatedAsync());
        Assert.NotEqual(a.Spec.ClusterIP, b.Spec.ClusterIP);
    }

    [Fact]
    public async Task An_update_keeps_the_address_and_an_ExternalName_turned_ClusterIP_gets_one()
    {
        await _harness.NamespaceAsync("default");
        var kept = await CreateAsync(Service("kept"));
        await CreateAsync(Service("alias", type: "ExternalName"));

        var updated = (V1Service)(await _registry.UpdateAsync(new ObjectKey(ResourceTypes.Services, "default", "kept"), obj =>
        {
            var service = (V1Service)obj;
            service.Spec.Ports[0].Port = 8080;
            return service;
        })).Object;
        var turned = (V1Service)(await _registry.UpdateAsync(new ObjectKey(ResourceTypes.Services, "default", "alias"), obj =>
        {
            var service = (V1Service)obj;
            service.Spec.Type = "ClusterIP";
            service.Spec.ExternalName = null;
            service.Spec.Ports = [new V1ServicePort { Port = 80 }];
            return service;
        })).Object;

        Assert.Equal(kept.Spec.ClusterIP, updated.Spec.ClusterIP);
        Assert.NotNull(turned.Spec.ClusterIP);
        Assert.Equal(2, (await AllocatedAsync()).Count);
    }

    [Fact]
    public async Task An_address_whose_Service_was_never_stored_is_taken_back_once_old_enough()
    {
        await _harness.NamespaceAsync("default");
        await CreateAsync(Service("first", "127.96.0.5"));
        // A create refused after the hook ran (the name is taken) leaves an IPAddress behind.
        await Assert.ThrowsAsync<StoreException>(() => CreateAsync(Service("first", "127.96.0.6")));
        Assert.Contains("127.96.0.6", await AllocatedAsync());

        var early = await Assert.ThrowsAsync<ObjectRejectedException>(() => CreateAsync(Service("second", "127.96.0.6")));
        _harness.Time.Advance(ClusterIPAllocator.ReclaimAfter);
        var later = await CreateAsync(Service("second", "127.96.0.6"));

        Assert.Contains("provided IP is already allocated", early.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Equal("127.96.0.6", later.Spec.ClusterIP);
    }
}
