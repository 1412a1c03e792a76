using k8s.Models;

namespace DurableKube.Domain.StatefulSets;

/// <summary>A StatefulSet's revisions as one sync sees them.</summary>
/// <param name="Current">The revision the set rolls from (<c>status.currentRevision</c>).</param>
/// <param name="Update">The revision of its template, the one it rolls to.</param>
/// <param name="Action">What making <paramref name="Update"/> takes.</param>
/// <param name="CollisionCount">The collision count to record in the status.</param>
public sealed record RevisionPlan(V1ControllerRevision Current, V1ControllerRevision Update, RevisionAction Action, int CollisionCount);
