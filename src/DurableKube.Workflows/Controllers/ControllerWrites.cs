using DurableKube.Domain.Controllers;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s;
using k8s.Models;

namespace DurableKube.Workflows.Controllers;

/// <summary>
/// The writes every controller's sync makes, through the one write path: claiming (adopting or releasing) what it
/// controls, deleting it, and writing the controller's own status. Each is guarded by the object's uid and accepts
/// that the object went or was replaced meanwhile: the next sync starts again from what is stored.
/// </summary>
public static class ControllerWrites
{
    /// <summary>
    /// Adopts a dependent (adds the controller reference, unless another controller took it or it is being deleted)
    /// or releases it (removes the controller reference it had when the sync read it, unless that changed), as
    /// Kubernetes' <c>ControllerRefManager</c> does.
    /// </summary>
    /// <param name="registry">The write path.</param>
    /// <param name="kind">The dependent's kind.</param>
    /// <param name="dependent">The dependent's metadata, as the sync read it.</param>
    /// <param name="adopt">The controller reference to adopt it with; <see langword="null"/> to release it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="alsoChange">What else the claim changes on the dependent (a Job's tracking finalizer), told whether it adopts.</param>
    /// <returns>A task that completes when the claim is written or moot.</returns>
    public static async Task ClaimAsync(
        this ObjectRegistry registry,
        ResourceType kind,
        V1ObjectMeta dependent,
        V1OwnerReference? adopt,
        CancellationToken cancellationToken,
        Action<V1ObjectMeta, bool>? alsoChange = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(dependent);
        var seen = OwnerReferences.ControllerOf(dependent)?.Uid;
        try
        {
            await registry.UpdateAsync(new ObjectKey(kind, dependent.NamespaceProperty, dependent.Name), obj =>
            {
                var meta = obj.Metadata;
                var controller = OwnerReferences.ControllerOf(meta);
                if (adopt is not null)
                {
                    if (controller is not null || meta.DeletionTimestamp is not null)
                    {
                        return null;
                    }

                    meta.OwnerReferences = [.. meta.OwnerReferences ?? [], adopt];
                }
                else
                {
                    if (controller is null || controller.Uid != seen)
                    {
                        return null;
                    }

                    meta.OwnerReferences = [.. meta.OwnerReferences!.Where(r => r.Uid != controller.Uid)];
                }

                alsoChange?.Invoke(meta, adopt is not null);
                return obj;
            }, new UpdateOptions(Preconditions: new Preconditions(Uid: dependent.Uid)), cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone or replaced meanwhile: the next sync sees what is there.
        }
    }

    /// <summary>
    /// Creates pods in slow-start batches of 1, 2, 4, ... (<c>slowStartBatch</c>), stopping after the first batch in
    /// which a creation failed, so a controller whose pods are refused does not flood the API with them. A creation
    /// refused because the namespace is being deleted is no failure.
    /// </summary>
    /// <param name="registry">The write path.</param>
    /// <param name="count">How many pods to create.</param>
    /// <param name="make">Makes the i-th pod (from 0).</param>
    /// <param name="created">Told the name of each pod created.</param>
    /// <param name="cancellationToken">Cancels the creations.</param>
    /// <returns>The first refusal, or <see langword="null"/> if every creation is done.</returns>
    public static async Task<string?> CreateInSlowStartBatchesAsync(
        this ObjectRegistry registry, int count, Func<int, V1Pod> make, Action<string> created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(make);
        ArgumentNullException.ThrowIfNull(created);
        var made = 0;
        foreach (var batch in SlowStart.Batches(count))
        {
            var first = made;
            made += batch;
            var results = await Task.WhenAll(Enumerable.Range(first, batch).Select(async i =>
            {
                try
                {
                    var pod = await registry.CreateAsync(ResourceTypes.Pods, make(i), cancellationToken: cancellationToken);
                    created(pod.Metadata.Name);
                    return null;
                }
                catch (ObjectRejectedException e) when (NamespaceTerminating(e))
                {
                    // Its namespace is going, and the controller with it: nothing failed.
                    return null;
                }
                catch (Exception e) when (e is ObjectRejectedException or StoreException)
                {
                    return e.Message;
                }
            }));
            if (results.FirstOrDefault(r => r is not null) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    /// <summary>Deletes dependents at once, each guarded by its uid; one already gone or replaced counts as deleted.</summary>
    /// <param name="registry">The write path.</param>
    /// <param name="kind">The dependents' kind.</param>
    /// <param name="dependents">Their metadata, as the sync read it.</param>
    /// <param name="deleted">Told the name of each one deleted.</param>
    /// <param name="cancellationToken">Cancels the deletions.</param>
    /// <param name="describe">Words a refused deletion; its message by default.</param>
    /// <returns>The first refusal, or <see langword="null"/> if every deletion is done.</returns>
    public static async Task<string?> DeleteEachAsync(
        this ObjectRegistry registry,
        ResourceType kind,
        IEnumerable<V1ObjectMeta> dependents,
        Action<string> deleted,
        CancellationToken cancellationToken,
        Func<V1ObjectMeta, Exception, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(dependents);
        ArgumentNullException.ThrowIfNull(deleted);
        var results = await Task.WhenAll(dependents.Select(async meta =>
        {
            try
            {
                await registry.DeleteAsync(new ObjectKey(kind, meta.NamespaceProperty, meta.Name), DeleteOptions.ForUid(meta.Uid), cancellationToken);
                deleted(meta.Name);
                return null;
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
            {
                return null;
            }
            catch (Exception e) when (e is ObjectRejectedException or StoreException)
            {
                return describe?.Invoke(meta, e) ?? e.Message;
            }
        }));
        return results.FirstOrDefault(r => r is not null);
    }

    /// <summary>Writes a controller's status through its <c>status</c> subresource, unless it already is that.</summary>
    /// <typeparam name="T">The controller's type.</typeparam>
    /// <param name="registry">The write path.</param>
    /// <param name="kind">The controller's kind.</param>
    /// <param name="controller">The controller's metadata, as the sync read it.</param>
    /// <param name="change">Changes the stored object; returns whether anything changed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the status is written (or was already so); <see langword="false"/> if the object went or was replaced.</returns>
    public static async Task<bool> WriteStatusAsync<T>(this ObjectRegistry registry, ResourceType kind, V1ObjectMeta controller, Func<T, bool> change, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await registry.UpdateAsync(
                new ObjectKey(kind, controller.NamespaceProperty, controller.Name),
                obj => change((T)obj) ? obj : null,
                UpdateOptions.Status(controller.Uid),
                cancellationToken);
            return true;
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone or replaced: the next sync ends the workflow, or starts again from what is stored.
            return false;
        }
    }

    /// <summary>
    /// Whether a create was refused because its namespace is being deleted: no failure of the controller, which
    /// is about to go with its namespace (Kubernetes' controllers ignore <c>NamespaceTerminatingCause</c>).
    /// </summary>
    /// <param name="refusal">What the create threw.</param>
    /// <returns>Whether it is that refusal.</returns>
    public static bool NamespaceTerminating(Exception refusal) =>
        refusal is ObjectRejectedException { Cause.Reason: RejectionCause.NamespaceTerminating };

    /// <summary>Replaces a status unless it already holds the same values.</summary>
    /// <typeparam name="TStatus">The status type.</typeparam>
    /// <param name="current">The status stored.</param>
    /// <param name="next">The status wanted.</param>
    /// <param name="set">Sets the status.</param>
    /// <returns>Whether it changed.</returns>
    public static bool Replace<TStatus>(TStatus? current, TStatus next, Action<TStatus> set)
        where TStatus : class
    {
        ArgumentNullException.ThrowIfNull(set);
        if (current is not null && KubeJson.Serialize(current) == KubeJson.Serialize(next))
        {
            return false;
        }

        set(next);
        return true;
    }
}
