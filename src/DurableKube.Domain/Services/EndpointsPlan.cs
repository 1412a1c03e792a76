using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>What a Service's Endpoints and EndpointSlices should hold now.</summary>
/// <param name="Endpoints">The Endpoints (named as the Service).</param>
/// <param name="Slices">The EndpointSlices, each with its deterministic name; at least one (an empty placeholder when no pod is selected).</param>
public sealed record EndpointsPlan(V1Endpoints Endpoints, IReadOnlyList<V1EndpointSlice> Slices);
