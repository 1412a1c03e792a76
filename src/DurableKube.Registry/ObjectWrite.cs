using DurableKube.Domain.Kinds;
using k8s;
using k8s.Models;

namespace DurableKube.Registry;

/// <summary>One write, as the write hooks see it.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Operation">What the write does.</param>
/// <param name="Old">The object as stored before, for updates and deletes.</param>
/// <param name="Object">
/// The object the write stores (before it: as it will be stored; after it: as stored, with its resource
/// version); for a delete, the object as removed.
/// </param>
/// <param name="Subresource">The subresource written through, if any.</param>
public sealed record ObjectWrite(
    KindDescriptor Kind,
    WriteOperation Operation,
    IKubernetesObject<V1ObjectMeta>? Old,
    IKubernetesObject<V1ObjectMeta> Object,
    string? Subresource = null);
