using System.Text.Json.Serialization;
using k8s.Models;

namespace DurableKube.Ports.Queue;

/// <summary>An owner of an object, as a change carries it (the essentials of an ownerReference).</summary>
/// <param name="ApiVersion">The owner's apiVersion, e.g. <c>apps/v1</c>.</param>
/// <param name="Kind">The owner's kind, e.g. <c>ReplicaSet</c>.</param>
/// <param name="Name">The owner's name (in the object's namespace).</param>
/// <param name="Uid">The owner's uid.</param>
/// <param name="Controller">Whether the owner is the object's controller.</param>
/// <param name="BlockOwnerDeletion">Whether a foreground deletion of the owner waits for this object.</param>
public sealed record ObjectOwner(
    [property: JsonPropertyName("apiVersion")] string ApiVersion,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("controller")] bool Controller = false,
    [property: JsonPropertyName("blockOwnerDeletion")] bool BlockOwnerDeletion = false)
{
    /// <summary>Copies an ownerReference.</summary>
    /// <param name="reference">The reference, or <see langword="null"/>.</param>
    /// <returns>The owner, or <see langword="null"/>.</returns>
    public static ObjectOwner? From(V1OwnerReference? reference) => reference is null
        ? null
        : new ObjectOwner(reference.ApiVersion, reference.Kind, reference.Name, reference.Uid, reference.Controller ?? false, reference.BlockOwnerDeletion ?? false);
}
