using k8s;
using k8s.Models;

namespace DurableKube.Registry;

/// <summary>What an update did.</summary>
/// <param name="Object">The object as it now is (as removed, when the update removed it).</param>
/// <param name="Changed">Whether anything was written (or, in a dry run, would have been).</param>
/// <param name="Removed">
/// Whether the update removed the object: it took the last finalizer off an object whose deletion was
/// only waiting for it (the generic store's <c>ShouldDeleteDuringUpdate</c>).
/// </param>
public sealed record UpdateOutcome(IKubernetesObject<V1ObjectMeta> Object, bool Changed, bool Removed = false);
