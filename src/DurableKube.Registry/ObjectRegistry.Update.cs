using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry;

/// <summary>Update of the main resource and of update subresources.</summary>
public sealed partial class ObjectRegistry
{
    /// <summary>
    /// Updates an object (the generic store's <c>Update</c> over <c>GuaranteedUpdate</c>): reads it, lets
    /// <paramref name="build"/> make the new object from a copy, applies the kind's rules for the main
    /// resource or the subresource, and writes it under the version read; when another writer got there
    /// first it starts again from a fresh read, where a resourceVersion the new object asks for no longer
    /// matches and answers Conflict. An update that takes the last finalizer off an object whose deletion
    /// waited only for it removes the object.
    /// </summary>
    /// <param name="key">The object.</param>
    /// <param name="build">
    /// Makes the new object from a copy of the stored one (it may change the copy and return it), or
    /// returns <see langword="null"/> when there is nothing to write. It may run more than once.
    /// </param>
    /// <param name="options">What is written (main resource or subresource), dry run, preconditions.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>What the update did.</returns>
    /// <exception cref="StoreException">NotFound; Conflict (a resourceVersion or precondition that no longer holds, or too many lost races).</exception>
    /// <exception cref="ObjectRejectedException">The new object breaks the kind's rules.</exception>
    public async Task<UpdateOutcome> UpdateAsync(
        ObjectKey key,
        Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>?> build,
        UpdateOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        options ??= UpdateOptions.Default;
        var kind = KindOf(key.Type);
        var strategy = kind.Strategy;
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _store.GetAsync(key, cancellationToken) ?? throw StoreException.NotFound(key);
            CheckPreconditions(key, existing, options.Preconditions);
            if (build(KubeJson.Clone(existing)) is not { } sent)
            {
                return new UpdateOutcome(existing, Changed: false);
            }

            sent.Metadata ??= new V1ObjectMeta();

            // managedFields the writer changed (an empty list clears them); those it left as read, or out, are kept.
            var sentManagedFields = sent.Metadata.ManagedFields is { } mf && !JsonNode.DeepEquals(KubeJson.ToNode(mf), KubeJson.ToNode(existing.Metadata.ManagedFields)) ? mf : null;
            strategy.Default(sent);
            var wanted = sent.Metadata.ResourceVersion;
            if (!string.IsNullOrEmpty(wanted) && wanted != existing.Metadata.ResourceVersion)
            {
                throw StoreException.Conflict(key);
            }

            var candidate = options.Subresource is { } subresource
                ? strategy.PrepareForSubresourceUpdate(subresource, sent, existing)
                : PrepareMainUpdate(strategy, sent, existing);
            if (options.ManagedFieldsSet && options.Subresource is not null)
            {
                // Server-side apply to a subresource: the fields it owns now, which the subresource's strategy would not take.
                candidate.Metadata.ManagedFields = sent.Metadata.ManagedFields;
            }

            var errors = options.Subresource is { } sub
                ? strategy.ValidateSubresourceUpdate(sub, candidate, existing)
                : strategy.ValidateUpdate(candidate, existing);
            if (errors.Count > 0)
            {
                throw ObjectRejectedException.Invalid(key.Type, key.Name, errors);
            }

            candidate.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            if (!options.ManagedFieldsSet)
            {
                candidate.Metadata.ManagedFields = TrackFields(key.Type, existing, candidate, sentManagedFields, options.FieldManager, options.FieldsSubresource ?? options.Subresource);
            }

            if (strategy.ShouldDeleteDuringUpdate(candidate, existing))
            {
                if (options.DryRun)
                {
                    return new UpdateOutcome(candidate, Changed: true, Removed: true);
                }

                try
                {
                    var removed = await _store.DeleteAsync(key, new Preconditions(existing.Metadata.Uid, existing.Metadata.ResourceVersion), cancellationToken);
                    Log.Deleted(_logger, key.Type.GroupResource, key.Namespace, key.Name);
                    await AfterAsync(new ObjectWrite(kind, WriteOperation.Delete, existing, removed, options.Subresource));
                    return new UpdateOutcome(removed, Changed: true, Removed: true);
                }
                catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict && attempt < MaxConflictRetries)
                {
                    // Changed meanwhile: read again (and refuse, if the caller asked for the version that was lost).
                    continue;
                }
            }

            if (JsonNode.DeepEquals(KubeJson.ToNode(candidate), KubeJson.ToNode(existing)))
            {
                return new UpdateOutcome(existing, Changed: false);
            }

            await BeforeAsync(new ObjectWrite(kind, WriteOperation.Update, existing, candidate, options.Subresource), cancellationToken);
            if (options.DryRun)
            {
                return new UpdateOutcome(candidate, Changed: true);
            }

            try
            {
                var stored = await _store.UpdateAsync(key.Type, candidate, cancellationToken);
                await AfterAsync(new ObjectWrite(kind, WriteOperation.Update, existing, stored, options.Subresource));
                return new UpdateOutcome(stored, Changed: true);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict && attempt < MaxConflictRetries)
            {
                // Someone else wrote first: read again and build again.
            }
        }
    }

    /// <summary>The API server's BeforeUpdate: identity and system fields come from the stored object, then the kind's rules.</summary>
    private static IKubernetesObject<V1ObjectMeta> PrepareMainUpdate(ObjectStrategy strategy, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var meta = obj.Metadata;
        if (string.IsNullOrEmpty(meta.Uid))
        {
            meta.Uid = old.Metadata.Uid;
        }

        if (old.Metadata.CreationTimestamp is not null)
        {
            meta.CreationTimestamp = old.Metadata.CreationTimestamp;
        }

        if (old.Metadata.DeletionTimestamp is not null)
        {
            meta.DeletionTimestamp = old.Metadata.DeletionTimestamp;
        }

        if (old.Metadata.DeletionGracePeriodSeconds is not null)
        {
            meta.DeletionGracePeriodSeconds = old.Metadata.DeletionGracePeriodSeconds;
        }

        strategy.PrepareForUpdate(obj, old);
        return obj;
    }

    private static void CheckPreconditions(ObjectKey key, IKubernetesObject<V1ObjectMeta> existing, Preconditions? preconditions)
    {
        if (preconditions?.Uid is { Length: > 0 } uid && uid != existing.Metadata.Uid)
        {
            throw StoreException.Conflict(key, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Metadata.Uid}");
        }

        if (preconditions?.ResourceVersion is { Length: > 0 } rv && rv != existing.Metadata.ResourceVersion)
        {
            throw StoreException.Conflict(key, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {existing.Metadata.ResourceVersion}");
        }
    }
}
