using System.Text.RegularExpressions;
using DurableKube.Domain.Jobs;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.CronJobs;

/// <summary>The API server's checks of a CronJob (pkg/apis/batch/validation: <c>ValidateCronJobCreate</c>, <c>ValidateCronJobSpec</c>, <c>validateTimeZone</c>).</summary>
public static partial class CronJobValidation
{
    private static readonly string[] ConcurrencyPolicies = ["Allow", "Forbid", "Replace"];

    /// <summary>Checks a CronJob: a name of at most 52 characters (its Jobs add 11), and its spec.</summary>
    /// <param name="cronJob">The CronJob, defaulted.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> Validate(V1CronJob cronJob)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        var errors = new List<FieldError>();
        if (cronJob.Metadata?.Name is { Length: > 52 } name)
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be no more than 52 characters"));
        }

        errors.AddRange(ValidateSpec(cronJob.Spec));
        return errors;
    }

    /// <summary>Checks a CronJob's spec: schedule, time zone, deadlines, concurrency policy, history limits and job template.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpec(V1CronJobSpec? spec)
    {
        spec ??= new V1CronJobSpec();
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(spec.Schedule))
        {
            errors.Add(FieldError.Required("spec.schedule"));
        }
        else
        {
            if (!CronSchedule.TryParse(spec.Schedule, out var error))
            {
                errors.Add(FieldError.Invalid("spec.schedule", spec.Schedule, error!));
            }

            if (spec.Schedule.Contains("TZ", StringComparison.Ordinal))
            {
                errors.Add(FieldError.Invalid("spec.schedule", spec.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            }
        }

        errors.AddRange(ValidateTimeZone(spec.TimeZone));
        errors.AddRange(FieldRules.NonNegative(spec.StartingDeadlineSeconds, "spec.startingDeadlineSeconds"));
        if (string.IsNullOrEmpty(spec.ConcurrencyPolicy))
        {
            errors.Add(FieldError.Required("spec.concurrencyPolicy"));
        }
        else if (!ConcurrencyPolicies.Contains(spec.ConcurrencyPolicy))
        {
            errors.Add(FieldError.NotSupported("spec.concurrencyPolicy", spec.ConcurrencyPolicy, ConcurrencyPolicies));
        }

        var template = spec.JobTemplate ?? new V1JobTemplateSpec();
        errors.AddRange(ObjectMetaValidation.ValidateLabels(template.Metadata?.Labels, "spec.jobTemplate.metadata.labels"));
        errors.AddRange(ObjectMetaValidation.ValidateAnnotations(template.Metadata?.Annotations, "spec.jobTemplate.metadata.annotations"));
        errors.AddRange(JobValidation.ValidateSpec(template.Spec, "spec.jobTemplate.spec"));
        if (template.Spec?.Selector is { } selector)
        {
            errors.Add(FieldError.Invalid("spec.jobTemplate.spec.selector", selector, "`selector` will be auto-generated"));
        }

        if (template.Spec?.ManualSelector == true)
        {
            errors.Add(FieldError.NotSupported("spec.jobTemplate.spec.manualSelector", true, ["nil", "false"]));
        }

        errors.AddRange(FieldRules.NonNegative(spec.SuccessfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit"));
        errors.AddRange(FieldRules.NonNegative(spec.FailedJobsHistoryLimit, "spec.failedJobsHistoryLimit"));
        return errors;
    }

    /// <summary>Checks <c>spec.timeZone</c>: a non-empty IANA name, not <c>Local</c> (<c>validateTimeZone</c>).</summary>
    /// <param name="timeZone">The value.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateTimeZone(string? timeZone)
    {
        const string Path = "spec.timeZone";
        if (timeZone is null)
        {
            return [];
        }

        if (timeZone.Length == 0)
        {
            return [FieldError.Invalid(Path, timeZone, "timeZone must be nil or non-empty string")];
        }

        if (timeZone.Split('/').Any(part => part is "." or ".." || part.StartsWith('-') || !ZonePart().IsMatch(part)))
        {
            return [FieldError.Invalid(Path, timeZone, $"unknown time zone {timeZone}")];
        }

        if (string.Equals(timeZone, "Local", StringComparison.OrdinalIgnoreCase))
        {
            return [FieldError.Invalid(Path, timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")];
        }

        return TimeZones.Find(timeZone) is null ? [FieldError.Invalid(Path, timeZone, $"unknown time zone {timeZone}")] : [];
    }

    [GeneratedRegex(@"^[A-Za-z\.\-_0-9+]{1,14}$")]
    private static partial Regex ZonePart();
}
