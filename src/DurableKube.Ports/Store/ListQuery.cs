using k8s;
using k8s.Models;

namespace DurableKube.Ports.Store;

/// <summary>How a list is filtered and paged.</summary>
/// <param name="Filter">Keeps only the objects it accepts (label and field selectors); <see langword="null"/> keeps all.</param>
/// <param name="Limit">The most objects to return in one page; <see langword="null"/> or 0 for all.</param>
/// <param name="Continue">The token of the previous page, to read the next.</param>
public sealed record ListQuery(
    Func<IKubernetesObject<V1ObjectMeta>, bool>? Filter = null,
    int? Limit = null,
    string? Continue = null)
{
    /// <summary>Gets a query for everything, unpaged.</summary>
    public static ListQuery All { get; } = new();
}
