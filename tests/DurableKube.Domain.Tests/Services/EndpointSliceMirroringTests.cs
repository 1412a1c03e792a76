using DurableKube.Domain.Services;
using k8s.Models;

namespace DurableKube.Domain.Tests.Services;

public sealed class EndpointSliceMirroringTests
{
    private static V1EndpointAddress A(string ip) => new() { Ip = ip };

    private static Corev1EndpointPort P(int port, string? name = null, string? protocol = null) => new() { Port = port, Name = name, Protocol = protocol };

    private static V1EndpointSubset S(V1EndpointAddress[]? ready = null, V1EndpointAddress[]? notReady = null, params Corev1EndpointPort[] ports) =>
        new() { Addresses = ready, NotReadyAddresses = notReady, Ports = ports.Length > 0 ? ports : null };

    private static V1Endpoints Endpoints(params V1EndpointSubset[] subsets) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ext", NamespaceProperty = "shop", Uid = "ep-uid" },
        Subsets = subsets,
    };

    /// <summary>Each slice as "addressType ports: ip/ready,...", the slices in text order.</summary>
    private static string Describe(MirrorPlan plan) => string.Join("; ", plan.Slices
        .Select(s => $"{s.AddressType} {string.Join(",", s.Ports.Select(p => $"{p.Name}/{p.Port}/{p.Protocol}"))}: "
            + string.Join(",", s.Endpoints.Select(e => $"{e.Addresses[0]}/{e.Conditions.Ready}")))
        .Order(StringComparer.Ordinal));

    public static TheoryData<string, V1Endpoints, string> Cases => new()
    {
        { "one subset: addresses ready, notReadyAddresses not", Endpoints(S([A("192.0.2.2"), A("192.0.2.1")], [A("192.0.2.3")], P(80, "http", "TCP"))), "IPv4 http/80/TCP: 192.0.2.1/True,192.0.2.2/True,192.0.2.3/False" },
        { "a port without name or protocol is unnamed TCP", Endpoints(S([A("192.0.2.1")], null, P(80))), "IPv4 /80/TCP: 192.0.2.1/True" },
        { "a subset without ports makes a slice without ports", Endpoints(S([A("192.0.2.1")])), "IPv4 : 192.0.2.1/True" },
        { "subsets with other ports get slices of their own", Endpoints(S([A("192.0.2.1")], null, P(80, "a")), S([A("192.0.2.2")], null, P(81, "b"))), "IPv4 a/80/TCP: 192.0.2.1/True; IPv4 b/81/TCP: 192.0.2.2/True" },
        { "subsets with the same ports share one", Endpoints(S([A("192.0.2.1")], null, P(80, "a")), S([A("192.0.2.2")], null, P(80, "a"))), "IPv4 a/80/TCP: 192.0.2.1/True,192.0.2.2/True" },
        { "IPv4 and IPv6 addresses of a subset go to a slice each", Endpoints(S([A("192.0.2.1"), A("2001:db8::1")], null, P(80))), "IPv4 /80/TCP: 192.0.2.1/True; IPv6 /80/TCP: 2001:db8::1/True" },
        { "addresses are written as the controller parses them", Endpoints(S([A("010.000.002.001"), A("2001:DB8:0:0::1"), A("::ffff:192.0.2.9")], null, P(80))), "IPv4 /80/TCP: 10.0.2.1/True,192.0.2.9/True; IPv6 /80/TCP: 2001:db8::1/True" },
        { "addresses that are no IP are skipped", Endpoints(S([A("example.com"), A("1.2.3"), A("192.0.2.256"), A("fe80::1%eth0"), A("192.0.2.1")], null, P(80))), "IPv4 /80/TCP: 192.0.2.1/True" },
        { "the same address twice is one endpoint", Endpoints(S([A("192.0.2.1"), A("192.0.2.1")], null, P(80))), "IPv4 /80/TCP: 192.0.2.1/True" },
        { "a subset without addresses makes no slice", Endpoints(S(null, null, P(80))), "" },
        { "no subsets, no slice", Endpoints(), "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Subsets_become_slices_by_ports_and_address_type(string why, V1Endpoints endpoints, string expected)
    {
        var described = Describe(EndpointSliceMirroring.Plan(endpoints));

        Assert.True(expected == described, $"{why}: {described}");
    }

    [Fact]
    public void A_slice_carries_the_Endpoints_labels_and_annotations_and_is_owned_by_it()
    {
        var endpoints = Endpoints(S([A("192.0.2.1")], null, P(80, "http", "TCP")));
        endpoints.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "db", [EndpointsSync.ServiceNameLabel] = "other", [EndpointsSync.ManagedByLabel] = "someone" };
        endpoints.Metadata.Annotations = new Dictionary<string, string>
        {
            ["note"] = "kept",
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
            ["endpoints.kubernetes.io/last-change-trigger-time"] = "2026-01-01T00:00:00Z",
        };
        endpoints.Subsets[0].Addresses[0].NodeName = "node-1";
        endpoints.Subsets[0].Addresses[0].Hostname = "db-0";
        endpoints.Subsets[0].Addresses[0].TargetRef = new V1ObjectReference { Kind = "Pod", Name = "db-0", NamespaceProperty = "shop" };

        var slice = Assert.Single(EndpointSliceMirroring.Plan(endpoints).Slices);

        Assert.StartsWith("ext-", slice.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("shop", slice.Metadata.NamespaceProperty);
        Assert.Equal(
            new Dictionary<string, string> { ["tier"] = "db", [EndpointsSync.ServiceNameLabel] = "ext", [EndpointsSync.ManagedByLabel] = "endpointslicemirroring-controller.k8s.io" },
            slice.Metadata.Labels);
        Assert.Equal(new Dictionary<string, string> { ["note"] = "kept" }, slice.Metadata.Annotations);
        var owner = Assert.Single(slice.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Endpoints", "ext", "ep-uid", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var endpoint = Assert.Single(slice.Endpoints);
        Assert.Equal(("node-1", "db-0", "db-0"), (endpoint.NodeName, endpoint.Hostname, endpoint.TargetRef.Name));
        Assert.Null(endpoint.Conditions.Serving);
        Assert.Null(endpoint.Conditions.Terminating);
    }

    [Fact]
    public void At_most_1000_addresses_of_a_subset_are_mirrored_ready_ones_first()
    {
        var ready = Enumerable.Range(0, 900).Select(i => A($"10.0.{i / 250}.{i % 250}")).ToArray();
        var notReady = Enumerable.Range(0, 300).Select(i => A($"10.1.{i / 250}.{i % 250}")).ToArray();

        var plan = EndpointSliceMirroring.Plan(Endpoints(S(ready, notReady, P(80)), S([A("bad")], null, P(81))));

        var slice = Assert.Single(plan.Slices);
        Assert.Equal(1000, slice.Endpoints.Count);
        Assert.Equal(900, slice.Endpoints.Count(e => e.Conditions.Ready == true));
        Assert.Equal((1, 201), (plan.InvalidAddresses, plan.SkippedAddresses));
    }

    [Fact]
    public void Slices_are_named_alike_on_every_sync_and_apart_for_each_port_set()
    {
        var endpoints = Endpoints(S([A("192.0.2.1")], null, P(80, "a")), S([A("192.0.2.2")], null, P(81, "b")));

        var first = EndpointSliceMirroring.Plan(endpoints).Slices.Select(s => s.Metadata.Name).ToList();
        var again = EndpointSliceMirroring.Plan(endpoints).Slices.Select(s => s.Metadata.Name).ToList();

        Assert.Equal(first, again);
        Assert.Equal(2, first.Distinct().Count());
    }

    [Theory]
    [InlineData(null, null, null, true)]
    [InlineData("endpointslice.kubernetes.io/skip-mirror", "true", null, false)]
    [InlineData("endpointslice.kubernetes.io/skip-mirror", "false", null, true)]
    [InlineData("endpoints.kubernetes.io/managed-by", "endpoint-controller", null, false)]
    [InlineData("endpoints.kubernetes.io/managed-by", "someone-else", null, true)]
    [InlineData(null, null, "control-plane.alpha.kubernetes.io/leader", false)]
    public void Endpoints_are_mirrored_unless_they_opt_out_or_are_the_controllers(string? label, string? value, string? annotation, bool mirrored)
    {
        var endpoints = Endpoints();
        if (label is not null)
        {
            endpoints.Metadata.Labels = new Dictionary<string, string> { [label] = value! };
        }

        if (annotation is not null)
        {
            endpoints.Metadata.Annotations = new Dictionary<string, string> { [annotation] = "{}" };
        }

        Assert.Equal(mirrored, EndpointSliceMirroring.ShouldMirror(endpoints));
    }

    [Fact]
    public void No_Endpoints_is_not_mirrored() => Assert.False(EndpointSliceMirroring.ShouldMirror(null));

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(true, null, true)]
    [InlineData(true, "app", false)]
    public void Only_Services_without_a_selector_are_mirrored(bool emptySelector, string? selectorKey, bool mirrors)
    {
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "ext" }, Spec = new V1ServiceSpec() };
        if (emptySelector)
        {
            service.Spec.Selector = selectorKey is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [selectorKey] = "x" };
        }

        Assert.Equal(mirrors, EndpointSliceMirroring.Mirrors(service));
        Assert.Equal(!mirrors, EndpointsSync.Manages(service));
    }
}
