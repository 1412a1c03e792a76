using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.StatefulSets;

/// <summary>The API server's checks of a StatefulSet (pkg/apis/apps/validation: <c>ValidateStatefulSetSpec</c>, <c>ValidateStatefulSetUpdate</c>, <c>ValidateStatefulSetStatus</c>).</summary>
public static class StatefulSetValidation
{
    /// <summary>The API server's message for an update of a spec field that may not change.</summary>
    public const string ForbiddenUpdateMessage =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    /// <summary>DurableKube's message for a StatefulSet that asks for volumes it cannot have.</summary>
    public const string VolumeClaimTemplatesMessage =
        "PersistentVolumeClaims are not served by DurableKube yet, so a StatefulSet cannot have volumeClaimTemplates; use volumes in spec.template instead";

    /// <summary>The spec fields an update may change (<c>ValidateStatefulSetUpdate</c>).</summary>
    private static readonly string[] Mutable =
        ["replicas", "ordinals", "template", "updateStrategy", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "revisionHistoryLimit"];

    private static readonly string[] RetentionPolicies = ["Retain", "Delete"];

    /// <summary>Checks a StatefulSet's spec.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpec(V1StatefulSetSpec? spec)
    {
        spec ??= new V1StatefulSetSpec();
        var errors = new List<FieldError>();
        switch (spec.PodManagementPolicy)
        {
            case null or "":
                errors.Add(FieldError.Required("spec.podManagementPolicy"));
                break;
            case StatefulSetSync.OrderedReady or StatefulSetSync.Parallel:
                break;
            default:
                errors.Add(FieldError.Invalid("spec.podManagementPolicy", spec.PodManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
                break;
        }

        var strategy = spec.UpdateStrategy;
        switch (strategy?.Type)
        {
            case null or "":
                errors.Add(FieldError.Required("spec.updateStrategy"));
                break;
            case StatefulSetSync.OnDelete:
                if (strategy.RollingUpdate is not null)
                {
                    errors.Add(FieldError.Invalid("spec.updateStrategy.rollingUpdate", strategy.RollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
                }

                break;
            case StatefulSetSync.RollingUpdate:
                errors.AddRange(ValidateRollingUpdate(strategy.RollingUpdate));
                break;
            default:
                errors.Add(FieldError.Invalid("spec.updateStrategy", strategy, "must be 'RollingUpdate' or 'OnDelete'"));
                break;
        }

        if (spec.PersistentVolumeClaimRetentionPolicy is { } retention)
        {
            errors.AddRange(ValidateRetention(retention.WhenDeleted, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"));
            errors.AddRange(ValidateRetention(retention.WhenScaled, "spec.persistentVolumeClaimRetentionPolicy.whenScaled"));
        }

        errors.AddRange(FieldRules.NonNegative(spec.Replicas, "spec.replicas"));
        if (spec.Ordinals is { } ordinals)
        {
            errors.AddRange(FieldRules.NonNegative(ordinals.Start, "spec.ordinals.start"));
        }

        errors.AddRange(FieldRules.NonNegative(spec.MinReadySeconds, "spec.minReadySeconds"));
        errors.AddRange(FieldRules.NonNegative(spec.RevisionHistoryLimit, "spec.revisionHistoryLimit"));
        if (!string.IsNullOrEmpty(spec.ServiceName))
        {
            errors.AddRange(NameValidation.IsDns1123Label(spec.ServiceName).Select(m => FieldError.Invalid("spec.serviceName", spec.ServiceName, m)));
        }

        errors.AddRange(LabelSelectorValidation.ValidateWorkloadSelector(spec.Selector, spec.Template?.Metadata?.Labels, "spec", "statefulset"));
        errors.AddRange(PodValidation.ValidatePodTemplateSpec(spec.Template, "spec.template", PodTemplateRules.StatefulSet));
        if (spec.VolumeClaimTemplates is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden("spec.volumeClaimTemplates", VolumeClaimTemplatesMessage));
        }

        return errors;
    }

    /// <summary>
    /// Checks an update: the new spec's rules, and that nothing changed but <c>replicas</c>, <c>ordinals</c>,
    /// <c>template</c>, <c>updateStrategy</c>, <c>minReadySeconds</c>, <c>persistentVolumeClaimRetentionPolicy</c> and
    /// <c>revisionHistoryLimit</c> (one <c>Forbidden</c> on <c>spec</c>, as the API server answers).
    /// </summary>
    /// <param name="spec">The new spec.</param>
    /// <param name="old">The stored spec.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpecUpdate(V1StatefulSetSpec? spec, V1StatefulSetSpec? old)
    {
        var errors = new List<FieldError>(ValidateSpec(spec));
        var now = KubeJson.ToNode(spec ?? new V1StatefulSetSpec()) as JsonObject ?? [];
        var before = KubeJson.ToNode(old ?? new V1StatefulSetSpec()) as JsonObject ?? [];
        foreach (var field in Mutable)
        {
            now.Remove(field);
            before.Remove(field);
        }

        if (!JsonNode.DeepEquals(now, before))
        {
            errors.Add(FieldError.Forbidden("spec", ForbiddenUpdateMessage));
        }

        return errors;
    }

    /// <summary>Checks a status (<c>ValidateStatefulSetStatus</c>, <c>ValidateStatefulSetStatusUpdate</c>).</summary>
    /// <param name="status">The new status.</param>
    /// <param name="old">The stored status.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateStatus(V1StatefulSetStatus? status, V1StatefulSetStatus? old)
    {
        status ??= new V1StatefulSetStatus();
        var errors = new List<FieldError>();
        errors.AddRange(FieldRules.NonNegative(status.Replicas, "status.replicas"));
        errors.AddRange(FieldRules.NonNegative(status.ReadyReplicas, "status.readyReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.CurrentReplicas, "status.currentReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.UpdatedReplicas, "status.updatedReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.AvailableReplicas, "status.availableReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.ObservedGeneration, "status.observedGeneration"));
        errors.AddRange(FieldRules.NonNegative(status.CollisionCount, "status.collisionCount"));
        const string Greater = "cannot be greater than status.replicas";
        foreach (var (value, field) in new[]
                 {
                     (status.ReadyReplicas, "status.readyReplicas"),
                     (status.CurrentReplicas, "status.currentReplicas"),
                     (status.UpdatedReplicas, "status.updatedReplicas"),
                 })
        {
            if (value > status.Replicas)
            {
                errors.Add(FieldError.Invalid(field, value, Greater));
            }
        }

        if (status.AvailableReplicas > status.ReadyReplicas)
        {
            errors.Add(FieldError.Invalid("status.availableReplicas", status.AvailableReplicas, "cannot be greater than status.readyReplicas"));
        }

        if (old?.CollisionCount is { } before && (status.CollisionCount ?? 0) < before)
        {
            errors.Add(FieldError.Invalid("status.collisionCount", status.CollisionCount, "cannot be decreased"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateRollingUpdate(V1RollingUpdateStatefulSetStrategy? rollingUpdate)
    {
        if (rollingUpdate is null)
        {
            yield break;
        }

        foreach (var error in FieldRules.NonNegative(rollingUpdate.Partition, "spec.updateStrategy.rollingUpdate.partition"))
        {
            yield return error;
        }

        if (rollingUpdate.MaxUnavailable is { } max)
        {
            const string At = "spec.updateStrategy.rollingUpdate.maxUnavailable";
            var text = max.Value?.ToString() ?? string.Empty;
            if (text.EndsWith('%'))
            {
                if (!int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent))
                {
                    yield return FieldError.Invalid(At, text, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
                }
                else if (percent > 100)
                {
                    yield return FieldError.Invalid(At, text, "must not be greater than 100%");
                }
                else if (percent < 1)
                {
                    yield return FieldError.Invalid(At, text, "must be greater than 0");
                }
            }
            else if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                yield return FieldError.Invalid(At, text, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
            }
            else if (number < 1)
            {
                yield return FieldError.Invalid(At, number, "must be greater than 0");
            }
        }
    }

    private static IEnumerable<FieldError> ValidateRetention(string? policy, string path)
    {
        if (policy is not ("Retain" or "Delete"))
        {
            yield return FieldError.NotSupported(path, policy ?? string.Empty, RetentionPolicies);
        }
    }
}
