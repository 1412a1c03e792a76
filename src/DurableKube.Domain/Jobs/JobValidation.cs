using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>The API server's checks of a Job (pkg/apis/batch/validation: <c>ValidateJob</c>, <c>validateJobSpec</c>, <c>ValidateGeneratedSelector</c>, <c>ValidateJobSpecUpdate</c>).</summary>
public static class JobValidation
{
    private static readonly string[] CompletionModes = ["NonIndexed", "Indexed"];
    private static readonly string[] ReplacementPolicies = ["TerminatingOrFailed", "Failed"];
    private static readonly string[] RuleActions = ["Count", "FailIndex", "FailJob", "Ignore"];
    private static readonly string[] ExitCodeOperators = ["In", "NotIn"];

    /// <summary>
    /// Checks a Job's or a job template's spec without its selector (<c>validateJobSpec</c>): non-negative counts and
    /// durations, the completion mode, the pod failure policy, and the pod template with a Job's restart policies.
    /// </summary>
    /// <param name="spec">The spec, defaulted.</param>
    /// <param name="path">Its field path: <c>spec</c>, or <c>spec.jobTemplate.spec</c> in a CronJob.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpec(V1JobSpec? spec, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<FieldError>();
        spec ??= new V1JobSpec();
        errors.AddRange(FieldRules.NonNegative(spec.Parallelism, path.Child("parallelism")));
        errors.AddRange(FieldRules.NonNegative(spec.Completions, path.Child("completions")));
        errors.AddRange(FieldRules.NonNegative(spec.ActiveDeadlineSeconds, path.Child("activeDeadlineSeconds")));
        errors.AddRange(FieldRules.NonNegative(spec.BackoffLimit, path.Child("backoffLimit")));
        errors.AddRange(FieldRules.NonNegative(spec.TtlSecondsAfterFinished, path.Child("ttlSecondsAfterFinished")));
        if (spec.CompletionMode is { } mode && !CompletionModes.Contains(mode))
        {
            errors.Add(FieldError.NotSupported(path.Child("completionMode"), mode, CompletionModes));
        }
        else if (spec.CompletionMode == "Indexed")
        {
            if (spec.Completions is null)
            {
                errors.Add(FieldError.Required(path.Child("completions"), "when completion mode is Indexed"));
            }
            else if (spec.Completions > 100_000)
            {
                errors.Add(FieldError.Invalid(path.Child("completions"), spec.Completions, "must be less than or equal to 100000 when completion mode is Indexed"));
            }
        }

        // Fields of the API that this control plane does not act on yet: refused, rather than accepted and ignored.
        if (spec.BackoffLimitPerIndex is not null)
        {
            errors.Add(FieldError.Forbidden(path.Child("backoffLimitPerIndex"), "per-index back-off limits are not served by DurableKube yet"));
        }

        if (spec.MaxFailedIndexes is not null)
        {
            errors.Add(FieldError.Forbidden(path.Child("maxFailedIndexes"), "per-index back-off limits are not served by DurableKube yet"));
        }

        if (spec.SuccessPolicy is not null)
        {
            errors.Add(FieldError.Forbidden(path.Child("successPolicy"), "success policies are not served by DurableKube yet"));
        }

        if (spec.PodReplacementPolicy is { } replacement && !ReplacementPolicies.Contains(replacement))
        {
            errors.Add(FieldError.NotSupported(path.Child("podReplacementPolicy"), replacement, ReplacementPolicies));
        }

        errors.AddRange(PodValidation.ValidatePodTemplateSpec(spec.Template, path.Child("template"), PodTemplateRules.Job));
        if (spec.PodFailurePolicy is { } policy)
        {
            errors.AddRange(ValidatePodFailurePolicy(policy, spec, path));
        }

        return errors;
    }

    /// <summary>
    /// Checks a Job: its spec, a selector that matches its template's labels, and, unless the user manages the
    /// selector (<c>manualSelector: true</c>), the labels and selector the API server generated from its uid and name.
    /// </summary>
    /// <param name="job">The Job, with its selector generated (<see cref="JobSelectors.Generate"/>).</param>
    /// <param name="requirePrefixedLabels">Whether the template must carry the <c>batch.kubernetes.io/</c> labels (new Jobs, and Jobs that had them).</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> Validate(V1Job job, bool requirePrefixedLabels = true)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = job.Spec ?? new V1JobSpec();
        var errors = new List<FieldError>();
        if (spec.ManualSelector != true && spec.Selector is not null)
        {
            var labels = spec.Template?.Metadata?.Labels;
            var at = "spec.template.metadata".Child("labels");
            errors.AddRange(HasLabel(labels, at, JobLabels.LegacyControllerUid, job.Metadata.Uid));
            errors.AddRange(HasLabel(labels, at, JobLabels.LegacyJobName, job.Metadata.Name));
            if (requirePrefixedLabels)
            {
                errors.AddRange(HasLabel(labels, at, JobLabels.ControllerUid, job.Metadata.Uid));
                errors.AddRange(HasLabel(labels, at, JobLabels.JobName, job.Metadata.Name));
            }

            var expected = new Dictionary<string, string>
            {
                [JobLabels.LegacyControllerUid] = job.Metadata.Uid ?? string.Empty,
                [JobLabels.LegacyJobName] = job.Metadata.Name ?? string.Empty,
            };
            if (requirePrefixedLabels)
            {
                expected[JobLabels.ControllerUid] = job.Metadata.Uid ?? string.Empty;
                expected[JobLabels.JobName] = job.Metadata.Name ?? string.Empty;
            }

            if (Parse(spec.Selector) is { } generated && !generated.Matches(expected))
            {
                errors.Add(FieldError.Invalid("spec.selector", spec.Selector, "`selector` not auto-generated"));
            }
        }

        errors.AddRange(ValidateSpec(spec, "spec"));
        if (spec.Selector is null)
        {
            errors.Add(FieldError.Required("spec.selector"));
        }
        else
        {
            errors.AddRange(LabelSelectorValidation.Validate(spec.Selector, "spec.selector"));
            if (Parse(spec.Selector) is { } selector && !selector.Matches(spec.Template?.Metadata?.Labels))
            {
                errors.Add(FieldError.Invalid("spec.template.metadata.labels", spec.Template?.Metadata?.Labels, "`selector` does not match template `labels`"));
            }
        }

        return errors;
    }

    /// <summary>
    /// Checks an update of a Job's spec (<c>ValidateJobSpecUpdate</c>): completions (outside Indexed mode), the
    /// selector, the pod template, the completion mode and the pod failure policy may not change.
    /// </summary>
    /// <param name="spec">The new spec.</param>
    /// <param name="old">The stored spec.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpecUpdate(V1JobSpec? spec, V1JobSpec? old)
    {
        spec ??= new V1JobSpec();
        old ??= new V1JobSpec();
        var errors = new List<FieldError>();
        if (spec.CompletionMode != "Indexed")
        {
            errors.AddRange(FieldRules.Immutable(spec.Completions, old.Completions, "spec.completions"));
        }

        errors.AddRange(FieldRules.Immutable(spec.Selector, old.Selector, "spec.selector"));
        errors.AddRange(FieldRules.Immutable(spec.Template, old.Template, "spec.template"));
        errors.AddRange(FieldRules.Immutable(spec.CompletionMode, old.CompletionMode, "spec.completionMode"));
        errors.AddRange(FieldRules.Immutable(spec.PodFailurePolicy, old.PodFailurePolicy, "spec.podFailurePolicy"));
        errors.AddRange(FieldRules.Immutable(spec.BackoffLimitPerIndex, old.BackoffLimitPerIndex, "spec.backoffLimitPerIndex"));
        return errors;
    }

    /// <summary>Checks a Job status (<c>ValidateJobStatus</c>): no negative counter.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateStatus(V1JobStatus? status)
    {
        status ??= new V1JobStatus();
        return
        [
            .. FieldRules.NonNegative(status.Active, "status.active"),
            .. FieldRules.NonNegative(status.Succeeded, "status.succeeded"),
            .. FieldRules.NonNegative(status.Failed, "status.failed"),
            .. FieldRules.NonNegative(status.Ready, "status.ready"),
            .. FieldRules.NonNegative(status.Terminating, "status.terminating"),
        ];
    }

    private static IEnumerable<FieldError> ValidatePodFailurePolicy(V1PodFailurePolicy policy, V1JobSpec spec, string specPath)
    {
        if (spec.Template?.Spec?.RestartPolicy is { } restart && restart != "Never")
        {
            yield return FieldError.Invalid(specPath.Child("template").Child("spec").Child("restartPolicy"), restart, "only \"Never\" is supported when podFailurePolicy is specified");
        }

        var path = specPath.Child("podFailurePolicy");
        var rules = policy.Rules ?? [];
        if (rules.Count > 20)
        {
            yield return new FieldError(FieldErrorType.TooMany, path.Child("rules"), rules.Count, "must have at most 20 items");
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = path.Child("rules").Index(i);
            if (!RuleActions.Contains(rule.Action))
            {
                yield return FieldError.NotSupported(at.Child("action"), rule.Action, RuleActions);
            }
            else if (rule.Action == "FailIndex" && spec.BackoffLimitPerIndex is null)
            {
                yield return FieldError.Invalid(at.Child("action"), rule.Action, "requires the backoffLimitPerIndex to be set");
            }

            var onExitCodes = rule.OnExitCodes is not null;
            var onConditions = rule.OnPodConditions is { Count: > 0 };
            if (onExitCodes && onConditions)
            {
                yield return FieldError.Invalid(at, rule, "specifying both OnExitCodes and OnPodConditions is not supported");
            }
            else if (!onExitCodes && !onConditions)
            {
                yield return FieldError.Invalid(at, rule, "specifying one of OnExitCodes and OnPodConditions is required");
            }

            if (rule.OnExitCodes is { } codes)
            {
                var codesAt = at.Child("onExitCodes");
                if (!ExitCodeOperators.Contains(codes.OperatorProperty))
                {
                    yield return FieldError.NotSupported(codesAt.Child("operator"), codes.OperatorProperty, ExitCodeOperators);
                }

                var values = codes.Values ?? [];
                if (values.Count == 0)
                {
                    yield return FieldError.Invalid(codesAt.Child("values"), values, "at least one value is required");
                }

                for (var v = 0; v < values.Count; v++)
                {
                    if (codes.OperatorProperty == "In" && values[v] == 0)
                    {
                        yield return FieldError.Invalid(codesAt.Child("values").Index(v), values[v], "must not be 0 for the In operator");
                    }

                    if (v > 0 && values[v] == values[v - 1])
                    {
                        yield return FieldError.Duplicate(codesAt.Child("values").Index(v), values[v]);
                    }
                    else if (v > 0 && values[v] < values[v - 1])
                    {
                        yield return FieldError.Invalid(codesAt.Child("values").Index(v), values[v], "must be ordered");
                    }
                }
            }

            for (var c = 0; c < (rule.OnPodConditions?.Count ?? 0); c++)
            {
                var pattern = rule.OnPodConditions![c];
                var patternAt = at.Child("onPodConditions").Index(c);
                if (pattern.Status is not ("True" or "False" or "Unknown"))
                {
                    yield return FieldError.NotSupported(patternAt.Child("status"), pattern.Status, ["False", "True", "Unknown"]);
                }

                if (string.IsNullOrEmpty(pattern.Type))
                {
                    yield return FieldError.Required(patternAt.Child("type"));
                }
            }
        }
    }

    private static IEnumerable<FieldError> HasLabel(IDictionary<string, string>? labels, string path, string key, string? expected)
    {
        if (labels is null || !labels.TryGetValue(key, out var actual))
        {
            yield return FieldError.Required(path.Key(key));
        }
        else if (actual != expected)
        {
            yield return FieldError.Invalid(path.Key(key), actual, $"must be '{expected}'");
        }
    }

    private static Selectors.LabelSelector? Parse(V1LabelSelector? selector)
    {
        try
        {
            return selector is null ? null : Selectors.LabelSelector.FromLabelSelector(selector);
        }
        catch (Selectors.SelectorParseException)
        {
            return null;
        }
    }
}
