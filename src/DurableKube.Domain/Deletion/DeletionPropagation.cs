using k8s.Models;

namespace DurableKube.Domain.Deletion;

/// <summary>
/// How a delete hands its propagation policy to the garbage collector: as the <c>orphan</c> or
/// <c>foregroundDeletion</c> finalizer on the owner (apiserver's generic store,
/// <c>deletionFinalizersForGarbageCollection</c>, <c>shouldOrphanDependents</c>, <c>shouldDeleteDependents</c>).
/// </summary>
public static class DeletionPropagation
{
    /// <summary>The finalizer that holds an owner until its dependents are orphaned.</summary>
    public const string OrphanFinalizer = "orphan";

    /// <summary>The finalizer that holds an owner until its blocking dependents are deleted.</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>The policy values <c>propagationPolicy</c> accepts.</summary>
    public static readonly IReadOnlyList<string> PolicyNames = ["Foreground", "Background", "Orphan"];

    /// <summary>Parses <c>propagationPolicy</c>.</summary>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The policy, or <see langword="null"/> if none was given.</returns>
    /// <exception cref="ArgumentException">The value is not a policy.</exception>
    public static PropagationPolicy? Parse(string? value) => value switch
    {
        null or "" => null,
        "Background" => PropagationPolicy.Background,
        "Foreground" => PropagationPolicy.Foreground,
        "Orphan" => PropagationPolicy.Orphan,
        _ => throw new ArgumentException($"Unknown propagation policy \"{value}\".", nameof(value)),
    };

    /// <summary>
    /// Computes the finalizers an object gets when a delete starts: the request's policy (or the
    /// deprecated <c>orphanDependents</c>) wins; without one, a propagation finalizer the object already
    /// carries stays; otherwise the default, Background, adds none.
    /// </summary>
    /// <param name="finalizers">The object's finalizers.</param>
    /// <param name="policy">The request's propagation policy, if any.</param>
    /// <param name="orphanDependents">The request's <c>orphanDependents</c>, if any.</param>
    /// <returns>The finalizers the object should have, or <see langword="null"/> when they stay as they are.</returns>
    public static IList<string>? Finalizers(IList<string>? finalizers, PropagationPolicy? policy, bool? orphanDependents)
    {
        var current = finalizers ?? [];
        var orphan = orphanDependents ?? policy switch
        {
            PropagationPolicy.Orphan => true,
            PropagationPolicy.Background or PropagationPolicy.Foreground => false,
            _ => FirstPropagationFinalizer(current) == OrphanFinalizer,
        };
        var foreground = orphanDependents is null && policy switch
        {
            PropagationPolicy.Foreground => true,
            PropagationPolicy.Background or PropagationPolicy.Orphan => false,
            _ => FirstPropagationFinalizer(current) == ForegroundFinalizer,
        };

        var result = current.Where(f => f is not (OrphanFinalizer or ForegroundFinalizer)).ToList();
        if (orphan)
        {
            result.Add(OrphanFinalizer);
        }

        if (foreground)
        {
            result.Add(ForegroundFinalizer);
        }

        return result.ToHashSet(StringComparer.Ordinal).SetEquals(current) ? null : result;
    }

    /// <summary>Whether an object is held by the garbage collector: being deleted with a propagation finalizer.</summary>
    /// <param name="meta">The object's metadata.</param>
    /// <returns>The policy the collector must carry out, or <see langword="null"/>.</returns>
    public static PropagationPolicy? Pending(V1ObjectMeta? meta)
    {
        if (meta?.DeletionTimestamp is null)
        {
            return null;
        }

        return FirstPropagationFinalizer(meta.Finalizers ?? []) switch
        {
            OrphanFinalizer => PropagationPolicy.Orphan,
            ForegroundFinalizer => PropagationPolicy.Foreground,
            _ => null,
        };
    }

    private static string? FirstPropagationFinalizer(IEnumerable<string> finalizers) =>
        finalizers.FirstOrDefault(f => f is OrphanFinalizer or ForegroundFinalizer);
}
