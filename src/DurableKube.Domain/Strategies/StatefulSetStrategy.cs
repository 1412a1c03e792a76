using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Resources;
using DurableKube.Domain.StatefulSets;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>The API server's rules for StatefulSets (pkg/registry/apps/statefulset/strategy.go, pkg/apis/apps/validation).</summary>
public sealed class StatefulSetStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="StatefulSetStrategy"/> class.</summary>
    public StatefulSetStrategy()
        : base(ResourceTypes.StatefulSets)
    {
    }

    /// <summary>
    /// The apps/v1 defaults (<c>SetDefaults_StatefulSet</c>): one replica, podManagementPolicy OrderedReady, updateStrategy
    /// RollingUpdate with partition 0, revisionHistoryLimit 10, persistentVolumeClaimRetentionPolicy Retain/Retain, and
    /// the pod spec defaults in the template.
    /// </summary>
    /// <param name="obj">The StatefulSet.</param>
    public override void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        var sts = (V1StatefulSet)obj;
        var spec = sts.Spec ??= new V1StatefulSetSpec();
        spec.Replicas ??= 1;
        if (string.IsNullOrEmpty(spec.PodManagementPolicy))
        {
            spec.PodManagementPolicy = StatefulSetSync.OrderedReady;
        }

        spec.UpdateStrategy ??= new V1StatefulSetUpdateStrategy();
        if (string.IsNullOrEmpty(spec.UpdateStrategy.Type))
        {
            spec.UpdateStrategy.Type = StatefulSetSync.RollingUpdate;
        }

        if (spec.UpdateStrategy.Type == StatefulSetSync.RollingUpdate)
        {
            spec.UpdateStrategy.RollingUpdate ??= new V1RollingUpdateStatefulSetStrategy();
            spec.UpdateStrategy.RollingUpdate.Partition ??= 0;
        }

        spec.RevisionHistoryLimit ??= 10;
        spec.PersistentVolumeClaimRetentionPolicy ??= new V1StatefulSetPersistentVolumeClaimRetentionPolicy();
        if (string.IsNullOrEmpty(spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted))
        {
            spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted = "Retain";
        }

        if (string.IsNullOrEmpty(spec.PersistentVolumeClaimRetentionPolicy.WhenScaled))
        {
            spec.PersistentVolumeClaimRetentionPolicy.WhenScaled = "Retain";
        }

        if (spec.Template is { } template)
        {
            PodDefaults.ApplyTemplate(template);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. StatefulSetValidation.ValidateSpec(((V1StatefulSet)obj).Spec)];

    /// <summary>The spec's rules, and the fields an update may not change.</summary>
    /// <param name="obj">The new StatefulSet.</param>
    /// <param name="old">The stored one.</param>
    /// <returns>The errors.</returns>
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
    [
        .. base.ValidateUpdate(obj, old),
        .. StatefulSetValidation.ValidateSpecUpdate(((V1StatefulSet)obj).Spec, ((V1StatefulSet)old).Spec),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        StatefulSetValidation.ValidateStatus(((V1StatefulSet)obj).Status, ((V1StatefulSet)old).Status);
}
