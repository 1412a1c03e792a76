namespace DurableKube.Domain.Validation;

/// <summary>
/// What the owner of a pod template asks of it beyond a pod's own rules, as the API server checks a
/// ReplicaSet's, Deployment's, StatefulSet's or Job's <c>spec.template</c>
/// (pkg/apis/apps/validation <c>ValidatePodTemplateSpecForReplicaSet</c>, <c>ValidateStatefulSetSpec</c>;
/// pkg/apis/batch/validation <c>validateJobSpec</c>). Pass it to <see cref="PodValidation.ValidatePodTemplateSpec"/>.
/// </summary>
/// <param name="OwnerKind">The owner's kind as the API server names it in its messages, e.g. <c>ReplicaSet</c>.</param>
/// <param name="AllowedRestartPolicies">
/// The restart policies the owner accepts, in the order the API server lists them; empty accepts every policy a pod may have.
/// A template whose policy is <c>Always</c> or empty when <c>Always</c> is not accepted (a Job's) gets
/// <c>Required value: valid values: ...</c>, since <c>Always</c> is what defaulting fills in when none was chosen;
/// any other policy not accepted gets <c>Unsupported value</c>.
/// </param>
/// <param name="ForbidActiveDeadlineSeconds">
/// Whether <c>activeDeadlineSeconds</c> is forbidden in the template
/// (<c>activeDeadlineSeconds in {OwnerKind} is not Supported</c>), as for owners that keep their pods running.
/// </param>
public sealed record PodTemplateRules(string OwnerKind, IReadOnlyList<string> AllowedRestartPolicies, bool ForbidActiveDeadlineSeconds)
{
    /// <summary>Gets a ReplicaSet's rules: restartPolicy <c>Always</c> only, no activeDeadlineSeconds.</summary>
    public static PodTemplateRules ReplicaSet { get; } = new("ReplicaSet", ["Always"], ForbidActiveDeadlineSeconds: true);

    /// <summary>
    /// Gets a Deployment's rules, which are the ReplicaSet's, messages included: the API server checks a Deployment's
    /// template with the ReplicaSet's function, so it says <c>activeDeadlineSeconds in ReplicaSet is not Supported</c>.
    /// </summary>
    public static PodTemplateRules Deployment => ReplicaSet;

    /// <summary>
    /// Gets a StatefulSet's rules: restartPolicy <c>Always</c> only, no activeDeadlineSeconds. (The API server checks only
    /// the labels and annotations of a StatefulSet's template, not its pod spec; validating the spec too is stricter.)
    /// </summary>
    public static PodTemplateRules StatefulSet { get; } = new("StatefulSet", ["Always"], ForbidActiveDeadlineSeconds: true);

    /// <summary>Gets a Job's rules, also those of a CronJob's <c>spec.jobTemplate.spec.template</c>: restartPolicy <c>OnFailure</c> or <c>Never</c>.</summary>
    public static PodTemplateRules Job { get; } = new("Job", ["OnFailure", "Never"], ForbidActiveDeadlineSeconds: false);
}
