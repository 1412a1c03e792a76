using DurableKube.Domain.Deletion;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry;

/// <summary>Delete, graceful and with propagation.</summary>
public sealed partial class ObjectRegistry
{
    /// <summary>
    /// Deletes an object the way the API server does, whoever asks (a user, a kubelet finishing a pod, the
    /// namespace controller, the garbage collector): the request's propagation policy becomes the
    /// <c>orphan</c> or <c>foregroundDeletion</c> finalizer; then the kind's strategy decides between
    /// removing it now and marking it with a deletionTimestamp for its kubelet or its finalizers
    /// (<see cref="ObjectStrategy.PlanDelete"/>). A write that loses a race decides again on a fresh read.
    /// </summary>
    /// <param name="key">The object.</param>
    /// <param name="options">Grace period, propagation, preconditions, dry run.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>What was done, and the object as it now is.</returns>
    /// <exception cref="StoreException">NotFound; Conflict when a precondition does not hold.</exception>
    /// <exception cref="ObjectRejectedException">The kind refuses to delete the object (a system namespace).</exception>
    public async Task<DeleteOutcome> DeleteAsync(ObjectKey key, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DeleteOptions.Default;
        var kind = KindOf(key.Type);
        var strategy = kind.Strategy;
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _store.GetAsync(key, cancellationToken) ?? throw StoreException.NotFound(key);
            CheckPreconditions(key, existing, options.Preconditions);
            if (strategy.RefuseDelete(existing) is { } refusal)
            {
                throw new ObjectRejectedException(RejectionReason.Forbidden, key.Type, key.Name, refusal);
            }

            var marked = KubeJson.Clone(existing);
            var finalizersChanged = false;
            if (strategy.PropagatesDeletion && !GracefulDeletionPending(marked, options.GracePeriodSeconds)
                && DeletionPropagation.Finalizers(marked.Metadata.Finalizers, options.PropagationPolicy, options.OrphanDependents) is { } finalizers)
            {
                marked.Metadata.Finalizers = finalizers;
                finalizersChanged = true;
            }

            var action = strategy.PlanDelete(marked, options.GracePeriodSeconds, _time.GetUtcNow());
            if (action == DeletionAction.Unchanged && finalizersChanged)
            {
                action = DeletionAction.Update;
            }

            if (options.DryRun)
            {
                return new DeleteOutcome(action, action == DeletionAction.Unchanged ? existing : marked);
            }

            try
            {
                return await ExecuteDeleteAsync(kind, key, action, existing, marked, cancellationToken);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict && attempt < MaxConflictRetries)
            {
                // Changed meanwhile: decide again on a fresh read.
            }
        }
    }

    /// <summary>
    /// Whether a graceful deletion is under way that this request leaves as it is (the API server's
    /// <c>rest.BeforeDelete</c> answering <c>pendingGraceful</c>): then its propagation policy changes no finalizers.
    /// A request that shortens the grace goes through, policy and all.
    /// </summary>
    private static bool GracefulDeletionPending(IKubernetesObject<V1ObjectMeta> obj, long? requestedGracePeriod)
    {
        if (obj.Metadata.DeletionGracePeriodSeconds is not { } current || current == 0)
        {
            return false;
        }

        var requested = requestedGracePeriod < 0 ? 1 : requestedGracePeriod;
        return !(requested < current);
    }

    private async Task<DeleteOutcome> ExecuteDeleteAsync(
        Domain.Kinds.KindDescriptor kind,
        ObjectKey key,
        DeletionAction action,
        IKubernetesObject<V1ObjectMeta> existing,
        IKubernetesObject<V1ObjectMeta> marked,
        CancellationToken cancellationToken)
    {
        switch (action)
        {
            case DeletionAction.Unchanged:
                return new DeleteOutcome(action, existing);
            case DeletionAction.Update:
            {
                await BeforeAsync(new ObjectWrite(kind, WriteOperation.Update, existing, marked), cancellationToken);
                var stored = await _store.UpdateAsync(key.Type, marked, cancellationToken);
                Log.MarkedForDeletion(_logger, key.Type.GroupResource, key.Namespace, key.Name);
                await AfterAsync(new ObjectWrite(kind, WriteOperation.Update, existing, stored));
                return new DeleteOutcome(action, stored);
            }

            case DeletionAction.UpdateThenRemove:
            {
                await BeforeAsync(new ObjectWrite(kind, WriteOperation.Update, existing, marked), cancellationToken);
                var last = await _store.UpdateAsync(key.Type, marked, cancellationToken);
                var removed = await _store.DeleteAsync(key, new Preconditions(last.Metadata.Uid, last.Metadata.ResourceVersion), cancellationToken);
                Log.Deleted(_logger, key.Type.GroupResource, key.Namespace, key.Name);
                await AfterAsync(new ObjectWrite(kind, WriteOperation.Delete, existing, removed));
                return new DeleteOutcome(action, removed);
            }

            default:
            {
                await BeforeAsync(new ObjectWrite(kind, WriteOperation.Delete, existing, existing), cancellationToken);
                var removed = await _store.DeleteAsync(key, new Preconditions(existing.Metadata.Uid, existing.Metadata.ResourceVersion), cancellationToken);
                Log.Deleted(_logger, key.Type.GroupResource, key.Namespace, key.Name);
                await AfterAsync(new ObjectWrite(kind, WriteOperation.Delete, existing, removed));
                return new DeleteOutcome(action, removed);
            }
        }
    }
}
