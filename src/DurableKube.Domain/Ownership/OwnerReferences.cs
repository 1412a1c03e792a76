using k8s.Models;

namespace DurableKube.Domain.Ownership;

/// <summary>Reading and making ownerReferences (apimachinery's <c>metav1.GetControllerOf</c>, <c>NewControllerRef</c>).</summary>
public static class OwnerReferences
{
    /// <summary>Gets the controller of an object: its ownerReference with <c>controller: true</c>, if any.</summary>
    /// <param name="meta">The object's metadata.</param>
    /// <returns>The controller reference, or <see langword="null"/>.</returns>
    public static V1OwnerReference? ControllerOf(V1ObjectMeta? meta) =>
        meta?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    /// <summary>Makes the reference a controller puts on what it creates or adopts.</summary>
    /// <param name="apiVersion">The controller's apiVersion, e.g. <c>apps/v1</c>.</param>
    /// <param name="kind">The controller's kind, e.g. <c>ReplicaSet</c>.</param>
    /// <param name="owner">The controller's metadata.</param>
    /// <returns>The reference: controller and blockOwnerDeletion set.</returns>
    public static V1OwnerReference NewControllerRef(string apiVersion, string kind, V1ObjectMeta owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new V1OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = owner.Name, Uid = owner.Uid, BlockOwnerDeletion = true, Controller = true };
    }

    /// <summary>Whether an object has an ownerReference to an owner's uid.</summary>
    /// <param name="meta">The object's metadata.</param>
    /// <param name="ownerUid">The owner's uid.</param>
    /// <returns>Whether it does.</returns>
    public static bool IsOwnedBy(V1ObjectMeta? meta, string ownerUid) =>
        meta?.OwnerReferences?.Any(r => r.Uid == ownerUid) == true;
}
