using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>The API server's rules for ReplicaSets (pkg/registry/apps/replicaset/strategy.go, pkg/apis/apps/validation).</summary>
public sealed class ReplicaSetStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="ReplicaSetStrategy"/> class.</summary>
    public ReplicaSetStrategy()
        : base(ResourceTypes.ReplicaSets)
    {
    }

    /// <summary>Defaults: one replica, and the pod spec defaults in the template (apps/v1 <c>SetDefaults_ReplicaSet</c>).</summary>
    /// <param name="obj">The ReplicaSet.</param>
    public override void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        var rs = (V1ReplicaSet)obj;
        rs.Spec ??= new V1ReplicaSetSpec();
        rs.Spec.Replicas ??= 1;
        if (rs.Spec.Template is { } template)
        {
            PodDefaults.ApplyTemplate(template);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. ValidateSpec((V1ReplicaSet)obj)];

    /// <summary>The spec's rules, and a selector that may not change (apps/v1 forbids it).</summary>
    /// <param name="obj">The new ReplicaSet.</param>
    /// <param name="old">The stored one.</param>
    /// <returns>The errors.</returns>
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
    [
        .. base.ValidateUpdate(obj, old),
        .. ValidateSpec((V1ReplicaSet)obj),
        .. FieldRules.Immutable(((V1ReplicaSet)obj).Spec?.Selector, ((V1ReplicaSet)old).Spec?.Selector, "spec.selector"),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var status = ((V1ReplicaSet)obj).Status ?? new V1ReplicaSetStatus();
        var errors = new List<FieldError>();
        errors.AddRange(FieldRules.NonNegative(status.Replicas, "status.replicas"));
        errors.AddRange(FieldRules.NonNegative(status.FullyLabeledReplicas, "status.fullyLabeledReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.ReadyReplicas, "status.readyReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.AvailableReplicas, "status.availableReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.ObservedGeneration, "status.observedGeneration"));
        const string Greater = "cannot be greater than status.replicas";
        if (status.FullyLabeledReplicas > status.Replicas)
        {
            errors.Add(FieldError.Invalid("status.fullyLabeledReplicas", status.FullyLabeledReplicas, Greater));
        }

        if (status.ReadyReplicas > status.Replicas)
        {
            errors.Add(FieldError.Invalid("status.readyReplicas", status.ReadyReplicas, Greater));
        }

        if (status.AvailableReplicas > status.Replicas)
        {
            errors.Add(FieldError.Invalid("status.availableReplicas", status.AvailableReplicas, Greater));
        }

        if (status.AvailableReplicas > status.ReadyReplicas)
        {
            errors.Add(FieldError.Invalid("status.availableReplicas", status.AvailableReplicas, "cannot be greater than readyReplicas"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateSpec(V1ReplicaSet rs)
    {
        var spec = rs.Spec ?? new V1ReplicaSetSpec();
        foreach (var error in FieldRules.NonNegative(spec.Replicas, "spec.replicas").Concat(FieldRules.NonNegative(spec.MinReadySeconds, "spec.minReadySeconds")))
        {
            yield return error;
        }

        foreach (var error in LabelSelectorValidation.ValidateWorkloadSelector(spec.Selector, spec.Template?.Metadata?.Labels, "spec", "deployment"))
        {
            yield return error;
        }

        foreach (var error in PodValidation.ValidatePodTemplateSpec(spec.Template, "spec.template", PodTemplateRules.ReplicaSet))
        {
            yield return error;
        }
    }
}
