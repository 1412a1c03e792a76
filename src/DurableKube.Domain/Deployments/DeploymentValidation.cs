using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Deployments;

/// <summary>The API server's checks of a Deployment's spec and status (pkg/apis/apps/validation <c>ValidateDeploymentSpec</c>, <c>ValidateDeploymentStatus</c>).</summary>
public static class DeploymentValidation
{
    private const string PercentMessage = "a valid percent string must be a numeric string followed by an ending '%'";

    /// <summary>Checks the spec.</summary>
    /// <param name="deployment">The Deployment, defaulted.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpec(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var spec = deployment.Spec ?? new V1DeploymentSpec();
        var errors = new List<FieldError>();
        errors.AddRange(FieldRules.NonNegative(spec.Replicas, "spec.replicas"));
        errors.AddRange(LabelSelectorValidation.ValidateWorkloadSelector(spec.Selector, spec.Template?.Metadata?.Labels, "spec", "deployment"));
        errors.AddRange(PodValidation.ValidatePodTemplateSpec(spec.Template, "spec.template", PodTemplateRules.Deployment));
        errors.AddRange(ValidateStrategy(spec.Strategy ?? new V1DeploymentStrategy(), "spec.strategy"));
        errors.AddRange(FieldRules.NonNegative(spec.MinReadySeconds, "spec.minReadySeconds"));
        errors.AddRange(FieldRules.NonNegative(spec.RevisionHistoryLimit, "spec.revisionHistoryLimit"));
        if (spec.ProgressDeadlineSeconds is { } deadline)
        {
            errors.AddRange(FieldRules.NonNegative(deadline, "spec.progressDeadlineSeconds"));
            if (deadline <= (spec.MinReadySeconds ?? 0))
            {
                errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
            }
        }

        return errors;
    }

    /// <summary>Checks the strategy (<c>ValidateDeploymentStrategy</c>, <c>ValidateRollingUpdateDeployment</c>).</summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="path">Its field path.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateStrategy(V1DeploymentStrategy strategy, string path)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var errors = new List<FieldError>();
        switch (strategy.Type)
        {
            case RollingUpdateBounds.Recreate:
                if (strategy.RollingUpdate is not null)
                {
                    errors.Add(FieldError.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
                }

                break;
            case RollingUpdateBounds.RollingUpdate:
                if (strategy.RollingUpdate is not { } rolling)
                {
                    errors.Add(FieldError.Required(path.Child("rollingUpdate"), "this should be defaulted and never be nil"));
                    break;
                }

                var at = path.Child("rollingUpdate");
                errors.AddRange(ValidateIntOrPercent(rolling.MaxUnavailable, at.Child("maxUnavailable")));
                errors.AddRange(ValidateIntOrPercent(rolling.MaxSurge, at.Child("maxSurge")));
                if (ValueOf(rolling.MaxUnavailable) == 0 && ValueOf(rolling.MaxSurge) == 0)
                {
                    errors.Add(FieldError.Invalid(at.Child("maxUnavailable"), Raw(rolling.MaxUnavailable), "may not be 0 when `maxSurge` is 0"));
                }

                if (RollingUpdateBounds.PercentOf(rolling.MaxUnavailable?.Value) > 100)
                {
                    errors.Add(FieldError.Invalid(at.Child("maxUnavailable"), Raw(rolling.MaxUnavailable), "must not be greater than 100%"));
                }

                break;
            default:
                errors.Add(FieldError.NotSupported(path.Child("type"), strategy.Type, [RollingUpdateBounds.Recreate, RollingUpdateBounds.RollingUpdate]));
                break;
        }

        return errors;
    }

    /// <summary>Checks the status (<c>ValidateDeploymentStatus</c>, <c>ValidateDeploymentStatusUpdate</c>).</summary>
    /// <param name="status">The new status.</param>
    /// <param name="old">The stored status.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateStatus(V1DeploymentStatus? status, V1DeploymentStatus? old)
    {
        status ??= new V1DeploymentStatus();
        var errors = new List<FieldError>();
        errors.AddRange(FieldRules.NonNegative(status.ObservedGeneration, "status.observedGeneration"));
        errors.AddRange(FieldRules.NonNegative(status.Replicas, "status.replicas"));
        errors.AddRange(FieldRules.NonNegative(status.UpdatedReplicas, "status.updatedReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.ReadyReplicas, "status.readyReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.AvailableReplicas, "status.availableReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.UnavailableReplicas, "status.unavailableReplicas"));
        errors.AddRange(FieldRules.NonNegative(status.CollisionCount, "status.collisionCount"));
        const string Greater = "cannot be greater than status.replicas";
        if (status.UpdatedReplicas > status.Replicas)
        {
            errors.Add(FieldError.Invalid("status.updatedReplicas", status.UpdatedReplicas, Greater));
        }

        if (status.AvailableReplicas > status.Replicas)
        {
            errors.Add(FieldError.Invalid("status.availableReplicas", status.AvailableReplicas, Greater));
        }

        if (status.AvailableReplicas > status.ReadyReplicas)
        {
            errors.Add(FieldError.Invalid("status.availableReplicas", status.AvailableReplicas, "cannot be greater than readyReplicas"));
        }

        if (old?.CollisionCount is { } before && (status.CollisionCount ?? 0) < before)
        {
            errors.Add(FieldError.Invalid("status.collisionCount", status.CollisionCount, "cannot be decremented"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateIntOrPercent(IntOrString? value, string path)
    {
        var text = value?.Value;
        if (text is null)
        {
            yield break;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            foreach (var error in FieldRules.NonNegative(number, path))
            {
                yield return error;
            }

            yield break;
        }

        if (RollingUpdateBounds.PercentOf(text) is null)
        {
            yield return FieldError.Invalid(path, text, NameValidation.RegexError(PercentMessage, "[0-9]+%", "1%", "93%"));
        }
    }

    private static object? Raw(IntOrString? value) =>
        value?.Value is { } text && int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : value?.Value;

    /// <summary>The number of an int or a percentage, as <c>getIntOrPercentValue</c> reads it to see whether it is 0.</summary>
    private static int? ValueOf(IntOrString? value) =>
        value?.Value is not { } text ? 0
        : int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
        : RollingUpdateBounds.PercentOf(text);
}
