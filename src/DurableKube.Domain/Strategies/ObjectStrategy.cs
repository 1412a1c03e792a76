using System.Reflection;
using System.Text.Json.Nodes;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The rules the API server applies to objects of one type around create, update, subresource updates
/// and delete (apiserver's REST strategies). The base class holds the generic rules; a kind with rules
/// of its own derives from it, and its <see cref="Kinds.KindDescriptor"/> carries it.
/// </summary>
public class ObjectStrategy
{
    private readonly PropertyInfo? _status;
    private readonly PropertyInfo? _spec;

    /// <summary>Initializes a new instance of the <see cref="ObjectStrategy"/> class.</summary>
    /// <param name="type">The resource type.</param>
    public ObjectStrategy(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
        _status = type.ObjectType.GetProperty("Status");
        _spec = type.ObjectType.GetProperty("Spec");
    }

    /// <summary>Gets the resource type.</summary>
    public ResourceType Type { get; }

    /// <summary>Gets a value indicating whether the type has a <c>status</c> that only the status subresource writes.</summary>
    public bool HasStatus => _status is not null;

    /// <summary>Gets a value indicating whether <c>metadata.generation</c> starts at 1 and counts spec changes.</summary>
    public virtual bool TracksGeneration => true;

    /// <summary>Gets a value indicating whether a delete answers with the object rather than a Status.</summary>
    public virtual bool ReturnsDeletedObject => false;

    /// <summary>Applies the scheme defaults, as on every decode of a request body.</summary>
    /// <param name="obj">The object, changed in place.</param>
    public virtual void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
    }

    /// <summary>Prepares a new object: clears its status and sets its generation.</summary>
    /// <param name="obj">The object, changed in place.</param>
    public virtual void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _status?.SetValue(obj, null);
        if (TracksGeneration)
        {
            obj.Metadata.Generation = 1;
        }
    }

    /// <summary>Checks a new object.</summary>
    /// <param name="obj">The object, prepared.</param>
    /// <returns>The errors.</returns>
    public virtual IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return ObjectMetaValidation.Validate(obj.Metadata, Type.Namespaced, ValidateName);
    }

    /// <summary>Prepares an update of the main resource: the status stays as stored, and the generation counts a spec change.</summary>
    /// <param name="obj">The new object, changed in place.</param>
    /// <param name="old">The stored object.</param>
    public virtual void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        _status?.SetValue(obj, _status.GetValue(old));
        obj.Metadata.Generation = old.Metadata.Generation;
        if (TracksGeneration && SpecChanged(obj, old))
        {
            obj.Metadata.Generation = (old.Metadata.Generation ?? 0) + 1;
        }
    }

    /// <summary>Checks an update of the main resource.</summary>
    /// <param name="obj">The new object, prepared.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>The errors.</returns>
    public virtual IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        return ObjectMetaValidation.ValidateUpdate(obj.Metadata, old.Metadata);
    }

    /// <summary>
    /// Builds what a write to the <c>status</c> subresource stores: the stored object with the new
    /// status (and the new resourceVersion precondition); nothing else changes.
    /// </summary>
    /// <param name="obj">The object sent to the status subresource.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>The object to store.</returns>
    public virtual IKubernetesObject<V1ObjectMeta> PrepareForStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        var result = (IKubernetesObject<V1ObjectMeta>)KubeJson.Deserialize(KubeJson.Serialize(old), Type.ObjectType)!;
        _status?.SetValue(result, _status.GetValue(obj));
        result.Metadata.ResourceVersion = obj.Metadata?.ResourceVersion;
        return result;
    }

    /// <summary>Checks a status update.</summary>
    /// <param name="obj">The object to store, prepared.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>The errors.</returns>
    public virtual IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) => [];

    /// <summary>
    /// Builds what a write to an update subresource stores, from what was sent and what is stored:
    /// <c>status</c> for every kind that has one; kinds with other subresources (a namespace's
    /// <c>finalize</c>, a pod's <c>binding</c>) override this.
    /// </summary>
    /// <param name="subresource">The subresource.</param>
    /// <param name="obj">The object sent.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>The object to store.</returns>
    /// <exception cref="NotSupportedException">The kind does not write through this subresource.</exception>
    public virtual IKubernetesObject<V1ObjectMeta> PrepareForSubresourceUpdate(string subresource, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        subresource == Kinds.Subresource.Status.Name
            ? PrepareForStatusUpdate(obj, old)
            : throw new NotSupportedException($"{Type.GroupResource} has no {subresource} subresource that updates it.");

    /// <summary>Checks what a subresource update would store.</summary>
    /// <param name="subresource">The subresource.</param>
    /// <param name="obj">The object to store, prepared.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>The errors.</returns>
    public virtual IReadOnlyList<FieldError> ValidateSubresourceUpdate(string subresource, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        return subresource == Kinds.Subresource.Status.Name
            ? [.. ObjectMetaValidation.ValidateUpdate(obj.Metadata, old.Metadata), .. ValidateStatusUpdate(obj, old)]
            : [];
    }

    /// <summary>
    /// Gets whether a delete of this kind applies the request's propagation policy as the
    /// <c>orphan</c> and <c>foregroundDeletion</c> finalizers for the garbage collector.
    /// </summary>
    public virtual bool PropagatesDeletion => true;

    /// <summary>
    /// Gets the grace period a delete gives an object of a type that is deleted gracefully, or
    /// <see langword="null"/> if the type is removed at once.
    /// </summary>
    /// <param name="obj">The stored object.</param>
    /// <param name="requestedGracePeriod">The request's grace period, if any.</param>
    /// <returns>The grace period in seconds (0 removes now), or <see langword="null"/>.</returns>
    public virtual long? GracefulDeletePeriod(IKubernetesObject<V1ObjectMeta> obj, long? requestedGracePeriod) => null;

    /// <summary>Decides what a delete does, marking <paramref name="obj"/> in place when it is to be written.</summary>
    /// <param name="obj">A copy of the stored object.</param>
    /// <param name="requestedGracePeriod">The request's grace period, if any.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The action.</returns>
    public virtual DeletionAction PlanDelete(IKubernetesObject<V1ObjectMeta> obj, long? requestedGracePeriod, DateTimeOffset now) =>
        GracefulDeletion.Plan(this, obj, requestedGracePeriod, now);

    /// <summary>Says why an object of this kind may not be deleted at all, or <see langword="null"/> when it may.</summary>
    /// <param name="obj">The stored object.</param>
    /// <returns>The reason (a Forbidden detail), or <see langword="null"/>.</returns>
    public virtual string? RefuseDelete(IKubernetesObject<V1ObjectMeta> obj) => null;

    /// <summary>Whether finalizers hold the object back from removal.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>Whether any finalizer remains.</returns>
    public virtual bool HasPendingFinalizers(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata?.Finalizers is { Count: > 0 };
    }

    /// <summary>
    /// Whether an update removed the last finalizer of an object being deleted with no grace left,
    /// so the update removes it instead (the generic store's <c>ShouldDeleteDuringUpdate</c>).
    /// </summary>
    /// <param name="obj">The updated object.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>Whether to remove the object.</returns>
    public virtual bool ShouldDeleteDuringUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        return !HasPendingFinalizers(obj) && HasPendingFinalizers(old)
            && old.Metadata.DeletionTimestamp is not null && old.Metadata.DeletionGracePeriodSeconds == 0;
    }

    /// <summary>Checks an object name; most types need a DNS-1123 subdomain.</summary>
    /// <param name="name">The name or generateName prefix.</param>
    /// <param name="prefix">Whether it is a generateName prefix.</param>
    /// <returns>The failure messages.</returns>
    public virtual IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.NameIsDnsSubdomain(name, prefix);

    /// <summary>Whether the spec (or, for types without one, everything but metadata and status) differs.</summary>
    /// <param name="obj">The new object.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>Whether it changed.</returns>
    protected bool SpecChanged(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        if (_spec is not null)
        {
            return !JsonNode.DeepEquals(KubeJson.ToNode(_spec.GetValue(obj)), KubeJson.ToNode(_spec.GetValue(old)));
        }

        var now = KubeJson.ToNode(obj)!.AsObject();
        var before = KubeJson.ToNode(old)!.AsObject();
        foreach (var ignored in (string[])["metadata", "status", "apiVersion", "kind"])
        {
            now.Remove(ignored);
            before.Remove(ignored);
        }

        return !JsonNode.DeepEquals(now, before);
    }
}
