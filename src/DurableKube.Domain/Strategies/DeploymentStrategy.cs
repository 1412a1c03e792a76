using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Deployments;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>The API server's rules for Deployments (pkg/registry/apps/deployment/strategy.go, pkg/apis/apps/validation).</summary>
public sealed class DeploymentStrategy : ObjectStrategy
{
    /// <summary>The default max surge and max unavailable of a rolling update.</summary>
    public const string DefaultRollingBound = "25%";

    /// <summary>Initializes a new instance of the <see cref="DeploymentStrategy"/> class.</summary>
    public DeploymentStrategy()
        : base(ResourceTypes.Deployments)
    {
    }

    /// <summary>
    /// Defaults (apps/v1 <c>SetDefaults_Deployment</c>): one replica, a RollingUpdate strategy with max surge and max
    /// unavailable 25%, a revision history of 10, a progress deadline of 600 seconds, and the pod spec defaults in the template.
    /// </summary>
    /// <param name="obj">The Deployment.</param>
    public override void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        var deployment = (V1Deployment)obj;
        var spec = deployment.Spec ??= new V1DeploymentSpec();
        spec.Replicas ??= 1;
        var strategy = spec.Strategy ??= new V1DeploymentStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = RollingUpdateBounds.RollingUpdate;
        }

        if (strategy.Type == RollingUpdateBounds.RollingUpdate)
        {
            var rolling = strategy.RollingUpdate ??= new V1RollingUpdateDeployment();
            rolling.MaxUnavailable ??= DefaultRollingBound;
            rolling.MaxSurge ??= DefaultRollingBound;
        }

        spec.RevisionHistoryLimit ??= 10;
        spec.ProgressDeadlineSeconds ??= 600;
        if (spec.Template is { } template)
        {
            PodDefaults.ApplyTemplate(template);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. DeploymentValidation.ValidateSpec((V1Deployment)obj)];

    /// <summary>The spec's rules, and a selector that may not change (apps/v1 forbids it).</summary>
    /// <param name="obj">The new Deployment.</param>
    /// <param name="old">The stored one.</param>
    /// <returns>The errors.</returns>
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
    [
        .. base.ValidateUpdate(obj, old),
        .. DeploymentValidation.ValidateSpec((V1Deployment)obj),
        .. FieldRules.Immutable(((V1Deployment)obj).Spec?.Selector, ((V1Deployment)old).Spec?.Selector, "spec.selector"),
    ];

    /// <summary>
    /// A status write stores the new status and the new annotations (<c>deploymentStatusStrategy</c> keeps only the spec
    /// and labels): the controller records the revision in <c>deployment.kubernetes.io/revision</c> with the status.
    /// </summary>
    /// <param name="obj">The object sent to the status subresource.</param>
    /// <param name="old">The stored object.</param>
    /// <returns>The object to store.</returns>
    public override IKubernetesObject<V1ObjectMeta> PrepareForStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var result = base.PrepareForStatusUpdate(obj, old);
        result.Metadata.Annotations = obj.Metadata?.Annotations;
        return result;
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        return DeploymentValidation.ValidateStatus(((V1Deployment)obj).Status, ((V1Deployment)old).Status);
    }
}
