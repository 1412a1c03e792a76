using DurableKube.Domain.Deletion;
using k8s;
using k8s.Models;

namespace DurableKube.Ports.Store;

/// <summary>What a graceful delete did.</summary>
/// <param name="Action">Removed, marked for deletion (and maybe removed), or left unchanged.</param>
/// <param name="Object">The object as it now is: as removed, as marked, or unchanged.</param>
public sealed record DeleteOutcome(DeletionAction Action, IKubernetesObject<V1ObjectMeta> Object)
{
    /// <summary>Gets a value indicating whether the object is gone from the store.</summary>
    public bool Removed => Action is DeletionAction.Remove or DeletionAction.UpdateThenRemove;
}
