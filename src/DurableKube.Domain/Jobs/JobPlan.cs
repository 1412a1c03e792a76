using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>What one sync of a Job does, in order.</summary>
/// <param name="Adopt">Orphans its selector matches, to adopt (with the tracking finalizer).</param>
/// <param name="Release">Pods it controls that its selector no longer matches, to release.</param>
/// <param name="Interim">
/// The status to write before any finalizer is removed: the pods newly finished recorded in
/// <c>uncountedTerminatedPods</c>, and a new FailureTarget or SuccessCriteriaMet condition; <see langword="null"/> when nothing is new.
/// </param>
/// <param name="RemoveFinalizers">Pods whose <c>batch.kubernetes.io/job-tracking</c> finalizer to remove: counted, or the Job is finished or being deleted.</param>
/// <param name="Delete">Active pods to delete (the Job failed, is suspended, or has more than it wants).</param>
/// <param name="Create">How many pods to create (at most <see cref="Controllers.SlowStart.BurstReplicas"/>); for an Indexed Job, <see cref="CreateIndexes"/> says which.</param>
/// <param name="Status">The status once all of it is done; <see langword="null"/> to leave the status as it is.</param>
/// <param name="DeleteJob">Whether the Job itself is to be deleted: finished longer ago than its <c>ttlSecondsAfterFinished</c>.</param>
/// <param name="RequeueAt">When to sync again though nothing changes: the end of a back-off, the active deadline, the TTL.</param>
public sealed record JobPlan(
    IReadOnlyList<V1Pod> Adopt,
    IReadOnlyList<V1Pod> Release,
    V1JobStatus? Interim,
    IReadOnlyList<V1Pod> RemoveFinalizers,
    IReadOnlyList<V1Pod> Delete,
    int Create,
    V1JobStatus? Status,
    bool DeleteJob,
    DateTimeOffset? RequeueAt)
{
    /// <summary>Gets the completion indexes of the pods to create, lowest first, for an Indexed Job; empty otherwise.</summary>
    public IReadOnlyList<int> CreateIndexes { get; init; } = [];
}
