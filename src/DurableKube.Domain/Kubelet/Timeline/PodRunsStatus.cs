using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet.Timeline;

/// <summary>The runs of a pod's containers, as its workflow publishes them (the detail of its custom status).</summary>
/// <param name="NodeName">The node the pod is bound to, if it is.</param>
/// <param name="Containers">Each container: init containers in spec order, then app containers.</param>
public sealed record PodRunsStatus(
    [property: JsonPropertyName("nodeName")] string? NodeName,
    [property: JsonPropertyName("containers")] IReadOnlyList<ContainerRunsStatus> Containers);
