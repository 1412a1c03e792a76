using k8s;
using k8s.Models;

namespace DurableKube.Ports.Store;

/// <summary>One page of a list.</summary>
/// <param name="Items">The objects, ordered by namespace then name.</param>
/// <param name="ResourceVersion">The resource version the list is at least as new as; a watch from it misses nothing.</param>
/// <param name="Continue">The token for the next page, or <see langword="null"/> on the last page.</param>
/// <param name="RemainingItemCount">How many more objects match, when known.</param>
public sealed record ObjectList(
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items,
    string ResourceVersion,
    string? Continue = null,
    long? RemainingItemCount = null);
