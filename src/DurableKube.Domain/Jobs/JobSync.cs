using DurableKube.Domain.Controllers;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Selectors;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>
/// The Job controller's decisions for one sync (pkg/controller/job/job_controller.go, <c>syncJob</c>, <c>manageJob</c>,
/// <c>trackJobStatusAndRemoveFinalizers</c>), as a pure function of the Job, the pods of its namespace and the time.
/// </summary>
/// <remarks>
/// Finished pods are counted through <c>status.uncountedTerminatedPods</c>, as Kubernetes does: a pod that finished
/// is first written there, then loses its tracking finalizer, then moves into <c>succeeded</c> or <c>failed</c>. A sync
/// cut short anywhere in between is finished by the next one, and no pod is counted twice: one with no finalizer and
/// not listed as uncounted has been counted already.
/// </remarks>
public static class JobSync
{
    /// <summary>Plans one sync.</summary>
    /// <param name="job">The Job, as stored.</param>
    /// <param name="pods">The pods of its namespace.</param>
    /// <param name="now">The present.</param>
    /// <returns>The plan.</returns>
    public static JobPlan Plan(V1Job job, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(pods);
        var spec = job.Spec ?? new V1JobSpec();
        if (spec.ManagedBy is { } manager && manager != JobLabels.BuiltInController)
        {
            // Another controller runs this Job: the built-in one leaves it alone, as Kubernetes' does.
            return new JobPlan([], [], null, [], [], 0, null, false, null);
        }

        var uid = job.Metadata.Uid;
        var deleting = job.Metadata.DeletionTimestamp is not null;
        var selector = Selector(spec.Selector);
        var adopt = new List<V1Pod>();
        var release = new List<V1Pod>();
        var owned = new List<V1Pod>();
        foreach (var pod in pods)
        {
            switch (ControllerClaims.Claim(pod, uid, deleting || JobConditions.IsFinished(job), selector))
            {
                case ClaimAction.Keep:
                    owned.Add(pod);
                    break;
                case ClaimAction.Adopt:
                    adopt.Add(pod);
                    owned.Add(pod);
                    break;
                case ClaimAction.Release:
                    release.Add(pod);
                    break;
            }
        }

        var tracked = pods.Where(p => OwnerReferences.ControllerOf(p.Metadata)?.Uid == uid && HasFinalizer(p)).ToList();
        if (deleting)
        {
            // Its pods go with it: nothing holds them back any more.
            return new JobPlan([], [], null, tracked, [], 0, null, false, null);
        }

        if (JobConditions.IsFinished(job))
        {
            var expireAt = spec.TtlSecondsAfterFinished is { } ttl && JobConditions.FinishedAt(job) is { } finished
                ? finished + TimeSpan.FromSeconds(ttl)
                : (DateTimeOffset?)null;
            return new JobPlan([], release, null, tracked, [], 0, null, expireAt <= now, expireAt > now ? expireAt : null);
        }

        var old = job.Status ?? new V1JobStatus();
        var status = KubeJson.Clone(old);
        status.Conditions ??= [];
        var suspended = spec.Suspend == true;
        if (status.StartTime is null && !suspended)
        {
            status.StartTime = KubeTime.Truncate(now);
        }

        // An Indexed Job counts completed indexes, not pods: a second success of an index counts for nothing.
        var indexed = spec.CompletionMode == "Indexed" && spec.Completions is not null;
        var completions = spec.Completions ?? 0;
        var completed = indexed ? CompletionIndexes.Parse(old.CompletedIndexes, completions) : [];

        // Count: pods that finished and still carry the finalizer become uncounted, then counted.
        var uncountedSucceeded = new HashSet<string>(old.UncountedTerminatedPods?.Succeeded ?? [], StringComparer.Ordinal);
        var uncountedFailed = new HashSet<string>(old.UncountedTerminatedPods?.Failed ?? [], StringComparer.Ordinal);
        var newlyFinished = false;
        var ignored = new List<V1Pod>();
        string? failJobMessage = null;
        foreach (var pod in owned.Where(HasFinalizer))
        {
            var podUid = pod.Metadata.Uid;
            if (uncountedSucceeded.Contains(podUid) || uncountedFailed.Contains(podUid))
            {
                continue;
            }

            if (pod.Status?.Phase == "Succeeded")
            {
                if (indexed && (CompletionIndexes.Of(pod, completions) is not { } index || !completed.Add(index)))
                {
                    ignored.Add(pod);
                    continue;
                }

                uncountedSucceeded.Add(podUid);
                newlyFinished = true;
            }
            else if (IsFailed(pod, spec))
            {
                switch (PodFailurePolicies.Match(spec.PodFailurePolicy, pod))
                {
                    case ("Ignore", _):
                        ignored.Add(pod);
                        continue;
                    case ("FailJob", var message):
                        failJobMessage ??= message;
                        break;
                }

                uncountedFailed.Add(podUid);
                newlyFinished = true;
            }
        }

        var removeFinalizers = owned.Where(p => HasFinalizer(p)
            && (uncountedSucceeded.Contains(p.Metadata.Uid) || uncountedFailed.Contains(p.Metadata.Uid) || ignored.Contains(p))).ToList();
        var succeeded = indexed ? completed.Count : (old.Succeeded ?? 0) + uncountedSucceeded.Count;
        var failed = (old.Failed ?? 0) + uncountedFailed.Count;
        var active = owned.Where(PodConditions.IsActive).ToList();
        var terminating = owned.Count(p => p.Metadata.DeletionTimestamp is not null && !PodConditions.IsTerminal(p));

        // Decide whether the Job has failed or succeeded.
        V1JobCondition? interim = null;
        (string Type, string Reason, string Message)? final = null;
        DateTimeOffset? requeue = null;
        if (status.Conditions.FirstOrDefault(c => c.Type == JobConditions.FailureTarget && c.Status == "True") is { } target)
        {
            final = (JobConditions.Failed, target.Reason, target.Message);
        }
        else if (JobConditions.IsTrue(job, JobConditions.SuccessCriteriaMet))
        {
            final = (JobConditions.Complete, JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage);
        }
        else if (failJobMessage is not null)
        {
            interim = JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.PodFailurePolicy, failJobMessage, now);
        }
        else if (failed > (spec.BackoffLimit ?? JobDefaults.BackoffLimit) || PastBackoffLimitOnFailure(spec, active))
        {
            interim = JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.BackoffLimitExceeded, JobConditions.BackoffLimitExceededMessage, now);
        }
        else if (DeadlineAt(spec, status, suspended) is { } deadline)
        {
            if (now >= deadline)
            {
                interim = JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.DeadlineExceeded, JobConditions.DeadlineExceededMessage, now);
            }
            else
            {
                requeue = deadline;
            }
        }

        if (interim is not null)
        {
            final = (JobConditions.Failed, interim.Reason, interim.Message);
        }

        var delete = new List<V1Pod>();
        var create = 0;
        IReadOnlyList<int> createIndexes = [];
        if (final is { Type: JobConditions.Failed })
        {
            delete.AddRange(active);
        }
        else if (final is null)
        {
            if (suspended)
            {
                delete.AddRange(active);
                JobConditions.Ensure(status.Conditions, JobConditions.Suspended, "True", "JobSuspended", "Job suspended", now);
            }
            else
            {
                if (JobConditions.Ensure(status.Conditions, JobConditions.Suspended, "False", "JobResumed", "Job resumed", now))
                {
                    // A resumed Job's activeDeadlineSeconds counts from its resumption.
                    status.StartTime = KubeTime.Truncate(now);
                }

                var want = WantActive(spec, succeeded, active.Count);
                var kept = active;
                if (indexed)
                {
                    // Pods holding no index, a completed one, or the same index as another go first.
                    var surplus = SurplusIndexedPods(active, completed, completions, now);
                    delete.AddRange(surplus);
                    kept = [.. active.Where(p => !surplus.Contains(p))];
                }

                if (kept.Count > want)
                {
                    delete.AddRange(PodDeletionOrder.Order(kept, [], now).Take(Math.Min(kept.Count - want, SlowStart.BurstReplicas)));
                }
                else if (want > kept.Count)
                {
                    var finishedPods = owned.Where(p => p.Status?.Phase == "Succeeded" || (IsFailed(p, spec) && !ignored.Contains(p)))
                        .Select(p => (p, p.Status?.Phase != "Succeeded"));
                    if (JobBackoff.ReadyAt(finishedPods) is { } readyAt && readyAt > now)
                    {
                        requeue = Earliest(requeue, readyAt);
                    }
                    else if (indexed)
                    {
                        var held = kept.Select(p => CompletionIndexes.Of(p, completions)!.Value).ToHashSet();
                        createIndexes = [.. Enumerable.Range(0, completions).Where(i => !completed.Contains(i) && !held.Contains(i)).Take(Math.Min(want - kept.Count, SlowStart.BurstReplicas))];
                        create = createIndexes.Count;
                    }
                    else
                    {
                        create = Math.Min(want - kept.Count, SlowStart.BurstReplicas);
                    }
                }

                var activeAfter = active.Count - delete.Count + create;
                var complete = spec.Completions is { } wanted ? succeeded >= wanted && activeAfter == 0 : succeeded > 0 && activeAfter == 0;
                if (complete)
                {
                    interim = JobConditions.New(JobConditions.SuccessCriteriaMet, "True", JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage, now);
                    final = (JobConditions.Complete, interim.Reason, interim.Message);
                }
            }
        }

        if (indexed)
        {
            status.CompletedIndexes = completed.Count > 0 ? CompletionIndexes.Format(completed) : null;
        }

        var interimStatus = (V1JobStatus?)null;
        if (interim is not null)
        {
            status.Conditions.Add(interim);
        }

        if (newlyFinished || interim is not null)
        {
            interimStatus = KubeJson.Clone(status);
            interimStatus.UncountedTerminatedPods = new V1UncountedTerminatedPods
            {
                Failed = [.. uncountedFailed.Order(StringComparer.Ordinal)],
                Succeeded = [.. uncountedSucceeded.Order(StringComparer.Ordinal)],
            };
        }

        // Once every finished pod is counted and none is terminating, the Job is Complete or Failed.
        var remaining = active.Where(p => !delete.Contains(p)).ToList();
        status.Active = remaining.Count + create;
        status.Ready = remaining.Count(PodConditions.IsReady);
        status.Terminating = terminating + delete.Count;
        status.Succeeded = succeeded;
        status.Failed = failed;
        status.UncountedTerminatedPods = new V1UncountedTerminatedPods();
        if (final is { } done && status.Terminating == 0)
        {
            JobConditions.Ensure(status.Conditions, done.Type, "True", done.Reason, done.Message, now);
            if (done.Type == JobConditions.Complete)
            {
                status.CompletionTime = KubeTime.Truncate(now);
            }

            if (spec.TtlSecondsAfterFinished is { } ttl)
            {
                requeue = Earliest(requeue, now + TimeSpan.FromSeconds(ttl));
            }
        }

        if (status.Conditions.Count == 0)
        {
            status.Conditions = null;
        }

        return new JobPlan(adopt, release, interimStatus, removeFinalizers, delete, create, status, false, requeue) { CreateIndexes = createIndexes };
    }

    /// <summary>Whether a pod carries the Job's tracking finalizer.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Whether it does.</returns>
    public static bool HasFinalizer(V1Pod pod) => pod?.Metadata?.Finalizers?.Contains(JobLabels.TrackingFinalizer) == true;

    /// <summary>
    /// Whether a pod counts as failed (<c>isPodFailed</c>): phase Failed, or, unless the Job replaces only failed pods
    /// (<c>podReplacementPolicy: Failed</c>, the default with a podFailurePolicy), being deleted before it succeeded.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="spec">The Job's spec.</param>
    /// <returns>Whether it failed.</returns>
    public static bool IsFailed(V1Pod pod, V1JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(spec);
        if (pod.Status?.Phase == "Failed")
        {
            return true;
        }

        return spec.PodReplacementPolicy != "Failed" && spec.PodFailurePolicy is null
            && pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase != "Succeeded";
    }

    /// <summary>
    /// How many pods should be active (<c>manageJob</c>): with completions, the remaining ones up to the parallelism;
    /// without, the parallelism until one pod has succeeded, then only those still running.
    /// </summary>
    /// <param name="spec">The Job's spec.</param>
    /// <param name="succeeded">The pods that succeeded, counted or not.</param>
    /// <param name="active">The pods active now.</param>
    /// <returns>The number.</returns>
    public static int WantActive(V1JobSpec spec, int succeeded, int active)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parallelism = spec.Parallelism ?? 1;
        if (spec.Completions is not { } completions)
        {
            return succeeded > 0 ? active : parallelism;
        }

        return Math.Clamp(completions - succeeded, 0, parallelism);
    }

    /// <summary>For <c>restartPolicy: OnFailure</c>, whether the restarts of the active pods' containers reach the backoffLimit (<c>pastBackoffLimitOnFailure</c>).</summary>
    /// <param name="spec">The Job's spec.</param>
    /// <param name="active">Its active pods.</param>
    /// <returns>Whether the limit is reached.</returns>
    public static bool PastBackoffLimitOnFailure(V1JobSpec spec, IEnumerable<V1Pod> active)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(active);
        if (spec.Template?.Spec?.RestartPolicy != "OnFailure")
        {
            return false;
        }

        var restarts = active.Sum(p => (p.Status?.InitContainerStatuses ?? []).Concat(p.Status?.ContainerStatuses ?? []).Sum(s => s.RestartCount));
        var limit = spec.BackoffLimit ?? JobDefaults.BackoffLimit;
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    /// <summary>
    /// The active pods of an Indexed Job that must go whatever the parallelism (<c>appendDuplicatedIndexPodsForRemoval</c>):
    /// those holding no valid index or an index already completed, and all but the most valuable of those holding the same index.
    /// </summary>
    private static List<V1Pod> SurplusIndexedPods(IReadOnlyList<V1Pod> active, SortedSet<int> completed, int completions, DateTimeOffset now)
    {
        var surplus = new List<V1Pod>();
        foreach (var group in active.GroupBy(p => CompletionIndexes.Of(p, completions)))
        {
            if (group.Key is not { } index || completed.Contains(index))
            {
                surplus.AddRange(group);
            }
            else
            {
                // The deletion order puts the most valuable last: it keeps the index.
                surplus.AddRange(PodDeletionOrder.Order([.. group], [], now).SkipLast(1));
            }
        }

        return surplus;
    }

    private static DateTimeOffset? DeadlineAt(V1JobSpec spec, V1JobStatus status, bool suspended) =>
        spec.ActiveDeadlineSeconds is { } seconds && status.StartTime is { } start && !suspended
            ? KubeTime.ToInstant(start) + TimeSpan.FromSeconds(seconds)
            : null;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private static LabelSelector Selector(V1LabelSelector? selector)
    {
        try
        {
            return selector is null ? LabelSelector.Nothing : LabelSelector.FromLabelSelector(selector);
        }
        catch (SelectorParseException)
        {
            return LabelSelector.Nothing;
        }
    }
}
