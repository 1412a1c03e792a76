using System.Text.Json.Serialization;
using DurableKube.Domain.Changes;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Ports.Queue;

/// <summary>
/// A change to an object that some workflow must act on, as it travels on the work queue. It carries a
/// reference and what the handlers decide by (what changed, who controls the object, whether it is being
/// deleted), not the object: whoever acts reads the current object from the store. A removal carries
/// what the object was, since it can no longer be read.
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
    [property: JsonPropertyName("resourceVersion")] string ResourceVersion)
{
    /// <summary>Gets what the write changed; everything for a create or a removal.</summary>
    [JsonPropertyName("facets")]
    public ChangeFacets Facets { get; init; } = ChangeFacets.All;

    /// <summary>Gets the object's controller (its ownerReference with <c>controller: true</c>) after the write, or as removed.</summary>
    [JsonPropertyName("controller")]
    public ObjectOwner? Controller { get; init; }

    /// <summary>Gets the object's controller before the write, when the write changed it.</summary>
    [JsonPropertyName("formerController")]
    public ObjectOwner? FormerController { get; init; }

    /// <summary>Gets a value indicating whether the object is being deleted (it has a deletionTimestamp), or was removed.</summary>
    [JsonPropertyName("deleting")]
    public bool Deleting { get; init; }

    /// <summary>Gets the object's finalizers after the write.</summary>
    [JsonPropertyName("finalizers")]
    public IReadOnlyList<string> Finalizers { get; init; } = [];

    /// <summary>Gets every owner of the object after the write (the garbage collector checks they exist).</summary>
    [JsonPropertyName("owners")]
    public IReadOnlyList<ObjectOwner> Owners { get; init; } = [];

    /// <summary>
    /// Gets the subresource the write went through (<c>binding</c>, <c>status</c>, <c>scale</c>...), or
    /// <see langword="null"/> for a write of the object itself: a pod's binding changes its spec, yet is no
    /// change of the spec its user wrote.
    /// </summary>
    [JsonPropertyName("subresource")]
    public string? Subresource { get; init; }

    /// <summary>
    /// Reads a change from a queue message's JSON (what <c>BinaryData.FromObjectAsJson</c> wrote), as every reader of
    /// the work queue reads it: the local host's queue adapter and the Functions queue trigger.
    /// </summary>
    /// <param name="json">The message's UTF-8 JSON.</param>
    /// <param name="reason">Why it is not a change, when it is not.</param>
    /// <returns>The change, or <see langword="null"/> for a message that is not one (not JSON, or fields missing).</returns>
    public static ObjectChange? TryRead(ReadOnlySpan<byte> json, out string reason)
    {
        try
        {
            var change = System.Text.Json.JsonSerializer.Deserialize<ObjectChange>(json);
            if (change is { Resource: not null, Name: not null, Uid: not null, ResourceVersion: not null })
            {
                reason = string.Empty;
                return change;
            }

            reason = "fields are missing";
        }
        catch (System.Text.Json.JsonException e)
        {
            reason = e.Message;
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(ObjectChange? other) =>
        other is not null
        && (Resource, Namespace, Name, Uid, Type, ResourceVersion, Facets, Controller, FormerController, Deleting, Subresource)
            == (other.Resource, other.Namespace, other.Name, other.Uid, other.Type, other.ResourceVersion, other.Facets, other.Controller, other.FormerController, other.Deleting, other.Subresource)
        && Finalizers.SequenceEqual(other.Finalizers)
        && Owners.SequenceEqual(other.Owners);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Resource, Namespace, Name, Uid, Type, ResourceVersion);

    /// <summary>Describes one write.</summary>
    /// <param name="type">The object's type.</param>
    /// <param name="changeType">What happened.</param>
    /// <param name="old">The object before (for updates and removals).</param>
    /// <param name="now">The object as stored, or as removed.</param>
    /// <param name="subresource">The subresource the write went through, if any.</param>
    /// <returns>The change.</returns>
    public static ObjectChange Of(ResourceType type, ObjectChangeType changeType, IKubernetesObject<V1ObjectMeta>? old, IKubernetesObject<V1ObjectMeta> now, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(now);
        var meta = now.Metadata ?? new V1ObjectMeta();
        var controller = ObjectOwner.From(OwnerReferences.ControllerOf(meta));
        var former = ObjectOwner.From(OwnerReferences.ControllerOf(old?.Metadata));
        return new ObjectChange(
            type.GroupResource,
            type.Namespaced ? meta.NamespaceProperty : null,
            meta.Name ?? string.Empty,
            meta.Uid ?? string.Empty,
            changeType,
            meta.ResourceVersion ?? string.Empty)
        {
            Facets = changeType == ObjectChangeType.Modified ? ObjectDiff.Between(old, now) : ChangeFacets.All,
            Controller = controller,
            FormerController = former is not null && former.Uid != controller?.Uid ? former : null,
            Deleting = changeType == ObjectChangeType.Deleted || meta.DeletionTimestamp is not null,
            Finalizers = [.. meta.Finalizers ?? []],
            Owners = [.. (meta.OwnerReferences ?? []).Select(r => ObjectOwner.From(r)!)],
            Subresource = subresource,
        };
    }
}
