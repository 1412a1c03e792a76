using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>Validates a pod's node affinity as kube-apiserver does (<c>ValidateNodeSelector</c> and its kin), so a malformed term is refused, not left to match nothing.</summary>
public static class NodeAffinityValidation
{
    /// <summary>Checks <c>spec.affinity.nodeAffinity</c>.</summary>
    /// <param name="affinity">The pod's affinity, if any.</param>
    /// <param name="path">The field path of <c>affinity</c>.</param>
    /// <param name="errors">Where errors go.</param>
    public static void Validate(V1Affinity? affinity, string path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (affinity?.NodeAffinity is not { } nodeAffinity)
        {
            return;
        }

        var at = path.Child("nodeAffinity");
        if (nodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
        {
            var terms = at.Child("requiredDuringSchedulingIgnoredDuringExecution").Child("nodeSelectorTerms");
            if (required.NodeSelectorTerms is not { Count: > 0 })
            {
                errors.Add(FieldError.Required(terms, "must have at least one node selector term"));
            }
            else
            {
                for (var i = 0; i < required.NodeSelectorTerms.Count; i++)
                {
                    ValidateTerm(required.NodeSelectorTerms[i], terms.Index(i), labelValues: true, errors);
                }
            }
        }

        var preferred = nodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution ?? [];
        for (var i = 0; i < preferred.Count; i++)
        {
            var term = at.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i);
            if (preferred[i].Weight is <= 0 or > 100)
            {
                errors.Add(FieldError.Invalid(term.Child("weight"), preferred[i].Weight, "must be in the range 1-100"));
            }

            ValidateTerm(preferred[i].Preference ?? new V1NodeSelectorTerm(), term.Child("preference"), labelValues: false, errors);
        }
    }

    private static void ValidateTerm(V1NodeSelectorTerm term, string path, bool labelValues, List<FieldError> errors)
    {
        var expressions = term.MatchExpressions ?? [];
        for (var j = 0; j < expressions.Count; j++)
        {
            ValidateLabelRequirement(expressions[j], path.Child("matchExpressions").Index(j), labelValues, errors);
        }

        var fields = term.MatchFields ?? [];
        for (var j = 0; j < fields.Count; j++)
        {
            ValidateFieldRequirement(fields[j], path.Child("matchFields").Index(j), errors);
        }
    }

    private static void ValidateLabelRequirement(V1NodeSelectorRequirement requirement, string path, bool labelValues, List<FieldError> errors)
    {
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In" or "NotIn":
                if (values.Count == 0)
                {
                    errors.Add(FieldError.Required(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                }

                break;
            case "Exists" or "DoesNotExist":
                if (values.Count > 0)
                {
                    errors.Add(FieldError.Forbidden(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }

                break;
            case "Gt" or "Lt":
                if (values.Count != 1)
                {
                    errors.Add(FieldError.Required(path.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                }

                break;
            default:
                errors.Add(FieldError.Invalid(path.Child("operator"), requirement.OperatorProperty ?? string.Empty, "not a valid selector operator"));
                break;
        }

        errors.AddRange(NameValidation.IsQualifiedName(requirement.Key ?? string.Empty).Select(m => FieldError.Invalid(path.Child("key"), requirement.Key ?? string.Empty, m)));
        if (labelValues)
        {
            for (var k = 0; k < values.Count; k++)
            {
                errors.AddRange(NameValidation.IsValidLabelValue(values[k] ?? string.Empty).Select(m => FieldError.Invalid(path.Child("values").Index(k), values[k], m)));
            }
        }
    }

    private static void ValidateFieldRequirement(V1NodeSelectorRequirement requirement, string path, List<FieldError> errors)
    {
        var values = requirement.Values ?? [];
        if (requirement.OperatorProperty is "In" or "NotIn")
        {
            if (values.Count != 1)
            {
                errors.Add(FieldError.Required(path.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
            }
        }
        else
        {
            errors.Add(FieldError.Invalid(path.Child("operator"), requirement.OperatorProperty ?? string.Empty, "not a valid selector operator"));
        }

        if (requirement.Key != Scheduling.NodeAffinity.NameField)
        {
            errors.Add(FieldError.Invalid(path.Child("key"), requirement.Key ?? string.Empty, "not a valid field selector key"));
            return;
        }

        for (var k = 0; k < values.Count; k++)
        {
            errors.AddRange(NameValidation.IsDns1123Subdomain(values[k] ?? string.Empty).Select(m => FieldError.Invalid(path.Child("values").Index(k), values[k], m)));
        }
    }
}
