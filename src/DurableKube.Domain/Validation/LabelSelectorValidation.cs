using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>The API server's checks of a label selector field (apimachinery's <c>ValidateLabelSelector</c>), and of the workload selectors built on it.</summary>
public static class LabelSelectorValidation
{
    private static readonly string[] Operators = ["DoesNotExist", "Exists", "In", "NotIn"];

    /// <summary>Checks a selector's labels and expressions.</summary>
    /// <param name="selector">The selector.</param>
    /// <param name="path">Its field path, e.g. <c>spec.selector</c>.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> Validate(V1LabelSelector? selector, string path)
    {
        var errors = new List<FieldError>();
        if (selector is null)
        {
            return errors;
        }

        errors.AddRange(ObjectMetaValidation.ValidateLabels(selector.MatchLabels, path.Child("matchLabels")));
        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var expression = expressions[i];
            var at = path.Child("matchExpressions").Index(i);
            var values = expression.Values ?? [];
            switch (expression.OperatorProperty)
            {
                case "In" or "NotIn":
                    if (values.Count == 0)
                    {
                        errors.Add(FieldError.Required(at.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (values.Count > 0)
                    {
                        errors.Add(FieldError.Forbidden(at.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }

                    break;
                default:
                    errors.Add(FieldError.Invalid(at.Child("operator"), expression.OperatorProperty, "not a valid selector operator"));
                    break;
            }

            errors.AddRange(NameValidation.IsQualifiedName(expression.Key ?? string.Empty).Select(m => FieldError.Invalid(at.Child("key"), expression.Key, m)));
            for (var j = 0; j < values.Count; j++)
            {
                errors.AddRange(NameValidation.IsValidLabelValue(values[j] ?? string.Empty).Select(m => FieldError.Invalid(at.Child("values").Index(j), values[j], m)));
            }
        }

        return errors;
    }

    /// <summary>
    /// Checks a workload's required selector and that its pod template carries labels it matches
    /// (apps validation: <c>ValidateReplicaSetSpec</c>, <c>ValidatePodTemplateSpecForReplicaSet</c>).
    /// </summary>
    /// <param name="selector">The workload's <c>spec.selector</c>.</param>
    /// <param name="templateLabels">Its template's labels.</param>
    /// <param name="path">The spec's field path, e.g. <c>spec</c>.</param>
    /// <param name="kindForMessage">The word Kubernetes uses in "empty selector is invalid for …", e.g. <c>deployment</c>.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateWorkloadSelector(V1LabelSelector? selector, IDictionary<string, string>? templateLabels, string path, string kindForMessage)
    {
        var errors = new List<FieldError>();
        var at = path.Child("selector");
        if (selector is null)
        {
            errors.Add(FieldError.Required(at));
            return errors;
        }

        errors.AddRange(Validate(selector, at));
        if ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) == 0)
        {
            errors.Add(FieldError.Invalid(at, selector, $"empty selector is invalid for {kindForMessage}"));
            return errors;
        }

        Selectors.LabelSelector parsed;
        try
        {
            parsed = Selectors.LabelSelector.FromLabelSelector(selector);
        }
        catch (Selectors.SelectorParseException)
        {
            errors.Add(FieldError.Invalid(at, selector, "invalid label selector"));
            return errors;
        }

        if (!parsed.Matches(templateLabels))
        {
            errors.Add(FieldError.Invalid(path.Child("template").Child("metadata").Child("labels"), templateLabels, "`selector` does not match template `labels`"));
        }

        return errors;
    }
}
