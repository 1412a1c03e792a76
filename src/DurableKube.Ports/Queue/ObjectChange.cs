using System.Text.Json.Serialization;

namespace DurableKube.Ports.Queue;

/// <summary>
/// A change to an object that a workflow must act on, as it travels on the work queue. It carries
/// a reference, not the object: whoever handles it reads the current object from the store.
/// </summary>
/// <param name="Resource">The group-qualified resource, e.g. <c>pods</c>.</param>
/// <param name="Namespace">The namespace; <see langword="null"/> for cluster-scoped objects.</param>
/// <param name="Name">The object name.</param>
/// <param name="Uid">The object's uid.</param>
/// <param name="Type">What happened.</param>
/// <param name="ResourceVersion">The resource version the change produced.</param>
public sealed record ObjectChange(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("type")] ObjectChangeType Type,
    [property: JsonPropertyName("resourceVersion")] string ResourceVersion);
