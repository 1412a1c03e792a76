using k8s.Models;

namespace DurableKube.Domain.StatefulSets;

/// <summary>What one sync of a StatefulSet does to its pods, and the status it writes.</summary>
/// <param name="Adopt">Orphans its selector matches whose names are of its ordinals, to adopt.</param>
/// <param name="Release">Pods it controls that its selector or its names no longer match, to release.</param>
/// <param name="Create">Pods to create, each with its name, identity and revision.</param>
/// <param name="Delete">Pods to delete: failed ones to recreate, ones beyond its ordinals, ones to update.</param>
/// <param name="Relabel">Pods whose identity labels to restore (adopted pods that lack them).</param>
/// <param name="Status">The status to write.</param>
/// <param name="RecheckAt">When to look again for a pod that becomes available after <c>minReadySeconds</c>.</param>
public sealed record StatefulSetPlan(
    IReadOnlyList<V1Pod> Adopt,
    IReadOnlyList<V1Pod> Release,
    IReadOnlyList<V1Pod> Create,
    IReadOnlyList<V1Pod> Delete,
    IReadOnlyList<V1Pod> Relabel,
    V1StatefulSetStatus Status,
    DateTimeOffset? RecheckAt);
