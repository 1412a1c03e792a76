using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry;

/// <summary>Create.</summary>
public sealed partial class ObjectRegistry
{
    /// <summary>
    /// Creates an object (the generic store's <c>Create</c> with <c>rest.BeforeCreate</c>): defaults it,
    /// checks that its namespace exists and is not terminating, prepares it (status cleared, generation 1),
    /// gives it a uid, creation timestamp and, from <c>generateName</c>, a name, validates it, runs the
    /// hooks and stores it.
    /// </summary>
    /// <param name="type">The object's type.</param>
    /// <param name="obj">The object; a namespaced object carries its namespace. Changed in place.</param>
    /// <param name="options">How to create it.</param>
    /// <param name="cancellationToken">Cancels the create.</param>
    /// <returns>The object as stored (or, in a dry run, as it would be).</returns>
    /// <exception cref="StoreException">AlreadyExists; NotFound for a missing namespace.</exception>
    /// <exception cref="ObjectRejectedException">The object is invalid, or its namespace is terminating.</exception>
    public async Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(
        ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CreateOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        options ??= CreateOptions.Default;
        var kind = KindOf(type);
        var strategy = kind.Strategy;
        obj.ApiVersion = type.ApiVersion;
        obj.Kind = type.Kind;
        var meta = obj.Metadata ??= new V1ObjectMeta();
        strategy.Default(obj);
        if (type.Namespaced)
        {
            if (string.IsNullOrEmpty(meta.NamespaceProperty))
            {
                throw new ObjectRejectedException(RejectionReason.BadRequest, type, meta.Name ?? meta.GenerateName ?? string.Empty, "the object has no namespace");
            }

            await CheckNamespaceAcceptsAsync(type, meta, cancellationToken);
        }
        else
        {
            meta.NamespaceProperty = null;
        }

        if (!string.IsNullOrEmpty(meta.ResourceVersion))
        {
            throw new ObjectRejectedException(RejectionReason.BadRequest, type, meta.Name ?? string.Empty, "resourceVersion should not be set on objects to be created");
        }

        strategy.PrepareForCreate(obj);
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = KubeTime.Truncate(_time.GetUtcNow());
        var generated = string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName);
        if (generated)
        {
            meta.Name = NameGenerator.Generate(meta.GenerateName!);
            strategy.Default(obj);
        }

        var errors = strategy.Validate(obj);
        if (errors.Count > 0)
        {
            throw ObjectRejectedException.Invalid(type, meta.Name ?? string.Empty, errors);
        }

        if (!options.ManagedFieldsSet)
        {
            meta.ManagedFields = TrackFields(type, null, obj, null, options.FieldManager, null);
        }

        await BeforeAsync(new ObjectWrite(kind, WriteOperation.Create, null, obj), cancellationToken);
        if (options.DryRun)
        {
            return obj;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = await _store.CreateAsync(type, obj, cancellationToken);
                Log.Created(_logger, type.GroupResource, meta.NamespaceProperty, meta.Name!);
                await AfterAsync(new ObjectWrite(kind, WriteOperation.Create, null, stored));
                return stored;
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists && generated && attempt < GenerateNameAttempts)
            {
                // The generated name is taken: draw another, as the API server does (RetryGenerateName).
                meta.Name = NameGenerator.Generate(meta.GenerateName!);
            }
        }
    }

    private async Task CheckNamespaceAcceptsAsync(ResourceType type, V1ObjectMeta meta, CancellationToken cancellationToken)
    {
        var key = new ObjectKey(ResourceTypes.Namespaces, null, meta.NamespaceProperty);
        var ns = await _store.GetAsync(key, cancellationToken) as V1Namespace ?? throw StoreException.NotFound(key);
        if (ns.Metadata.DeletionTimestamp is not null || ns.Status?.Phase == "Terminating")
        {
            throw new ObjectRejectedException(
                RejectionReason.Forbidden,
                type,
                meta.Name ?? meta.GenerateName ?? string.Empty,
                $"unable to create new content in namespace {meta.NamespaceProperty} because it is being terminated",
                cause: new RejectionCause(RejectionCause.NamespaceTerminating, $"namespace {meta.NamespaceProperty} is being terminated", "metadata.namespace"));
        }
    }
}
