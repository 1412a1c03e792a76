using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>The EndpointSlices that mirror an Endpoints, and what could not be mirrored.</summary>
/// <param name="Slices">The slices, each with its deterministic name; none for an Endpoints without addresses.</param>
/// <param name="InvalidAddresses">How many addresses were not IPs (the controller's <c>InvalidIPAddress</c> event).</param>
/// <param name="SkippedAddresses">How many addresses were left out, the invalid ones and those past <see cref="EndpointSliceMirroring.MaxEndpointsPerSubset"/> in their subset (<c>TooManyAddressesToMirror</c> when more than the invalid ones).</param>
public sealed record MirrorPlan(IReadOnlyList<V1EndpointSlice> Slices, int InvalidAddresses, int SkippedAddresses)
{
    /// <summary>Gets the plan of an Endpoints that is not mirrored: no slice.</summary>
    public static MirrorPlan None { get; } = new([], 0, 0);
}
