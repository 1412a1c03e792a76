using DurableKube.Domain.Printing;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>The kinds of the <c>discovery.k8s.io</c> and <c>networking.k8s.io</c> groups this server serves.</summary>
public static class NetworkKinds
{
    /// <summary>Gets EndpointSlices: the endpoints controller keeps a Service's in slices of at most 100 (pkg/registry/discovery/endpointslice).</summary>
    public static KindDescriptor EndpointSlices { get; } = new(new ObjectStrategy(ResourceTypes.EndpointSlices))
    {
        Printer = TablePrinter.For<V1EndpointSlice>(ServicePrinter.EndpointSliceColumns, ServicePrinter.EndpointSliceCells),
        CollectsDependents = false,
    };

    /// <summary>Gets IPAddresses: one per allocated ClusterIP, named by the address, its parentRef the Service (pkg/registry/networking/ipaddress).</summary>
    public static KindDescriptor IPAddresses { get; } = new(new ObjectStrategy(ResourceTypes.IPAddresses))
    {
        CollectsDependents = false,
    };

    /// <summary>Gets every kind of these groups.</summary>
    public static IReadOnlyList<KindDescriptor> All { get; } = [EndpointSlices, IPAddresses];
}
