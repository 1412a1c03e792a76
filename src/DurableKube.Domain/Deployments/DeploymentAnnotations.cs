namespace DurableKube.Domain.Deployments;

/// <summary>
/// The labels and annotations the Deployment controller writes and reads (pkg/controller/deployment/util,
/// <c>deployment_util.go</c>), which <c>kubectl rollout</c> reads back.
/// </summary>
public static class DeploymentAnnotations
{
    /// <summary>The label that tells a Deployment's ReplicaSets (and their pods) apart: the hash of the pod template.</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>The revision of a ReplicaSet, and on the Deployment the revision of its new ReplicaSet.</summary>
    public const string Revision = "deployment.kubernetes.io/revision";

    /// <summary>The earlier revisions a ReplicaSet had before a rollback made it the new one again, comma-separated.</summary>
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";

    /// <summary>The Deployment's <c>spec.replicas</c> when the ReplicaSet was last scaled.</summary>
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";

    /// <summary>The Deployment's <c>spec.replicas</c> plus its max surge when the ReplicaSet was last scaled.</summary>
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";

    /// <summary>Why a revision was made; copied to the ReplicaSet, shown by <c>kubectl rollout history</c>.</summary>
    public const string ChangeCause = "kubernetes.io/change-cause";

    /// <summary>The longest <see cref="RevisionHistory"/> may grow, in characters (<c>maxRevHistoryLengthInChars</c>).</summary>
    public const int MaxRevisionHistoryLength = 2000;

    /// <summary>The Deployment annotations never copied to its ReplicaSets (<c>annotationsToSkip</c>).</summary>
    public static IReadOnlySet<string> NotCopied { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        Revision,
        RevisionHistory,
        DesiredReplicas,
        MaxReplicas,
        "deprecated.deployment.rollback.to",
    };
}
