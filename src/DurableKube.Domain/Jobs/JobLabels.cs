namespace DurableKube.Domain.Jobs;

/// <summary>The labels, annotations and finalizer the Job API and controller put on Jobs and their pods (k8s.io/api/batch/v1 types.go).</summary>
public static class JobLabels
{
    /// <summary>The label that selects a Job's pods by its uid; the generated selector matches it.</summary>
    public const string ControllerUid = "batch.kubernetes.io/controller-uid";

    /// <summary>The label that names a pod's Job.</summary>
    public const string JobName = "batch.kubernetes.io/job-name";

    /// <summary>The unprefixed <see cref="ControllerUid"/> older clients select by.</summary>
    public const string LegacyControllerUid = "controller-uid";

    /// <summary>The unprefixed <see cref="JobName"/> older clients select by.</summary>
    public const string LegacyJobName = "job-name";

    /// <summary>The finalizer on a Job's pods until the controller has counted them (job tracking with finalizers).</summary>
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";

    /// <summary>The annotation a CronJob puts on the Jobs it makes: the scheduled time, RFC 3339.</summary>
    public const string CronJobScheduledTimestamp = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /// <summary>The annotation and label holding the completion index of a pod of an Indexed Job.</summary>
    public const string CompletionIndex = "batch.kubernetes.io/job-completion-index";

    /// <summary>The environment variable that gives every container of an Indexed Job's pod its completion index.</summary>
    public const string CompletionIndexEnv = "JOB_COMPLETION_INDEX";

    /// <summary>The value of <c>spec.managedBy</c> that leaves a Job to the built-in Job controller (as leaving it unset does).</summary>
    public const string BuiltInController = "kubernetes.io/job-controller";
}
