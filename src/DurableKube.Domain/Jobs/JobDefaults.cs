using DurableKube.Domain.Defaulting;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>The batch/v1 scheme defaults of a Job spec (pkg/apis/batch/v1/defaults.go, <c>SetDefaults_Job</c>).</summary>
public static class JobDefaults
{
    /// <summary>The default <c>backoffLimit</c>.</summary>
    public const int BackoffLimit = 6;

    /// <summary>
    /// Applies the defaults: completions and parallelism 1 when neither is set (parallelism 1 when only it is
    /// missing, leaving a work-queue Job without completions), backoffLimit 6, completionMode NonIndexed, suspend
    /// false, podReplacementPolicy (Failed with a podFailurePolicy, else TerminatingOrFailed), manualSelector false,
    /// status True for podFailurePolicy rules on pod conditions, and the pod template's defaults.
    /// </summary>
    /// <param name="spec">The spec, changed in place.</param>
    public static void Apply(V1JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Completions is null && spec.Parallelism is null)
        {
            spec.Completions = 1;
            spec.Parallelism = 1;
        }

        spec.Parallelism ??= 1;
        spec.BackoffLimit ??= spec.BackoffLimitPerIndex is null ? BackoffLimit : int.MaxValue;
        spec.CompletionMode ??= "NonIndexed";
        spec.Suspend ??= false;
        foreach (var rule in spec.PodFailurePolicy?.Rules ?? [])
        {
            foreach (var pattern in rule.OnPodConditions ?? [])
            {
                pattern.Status ??= "True";
            }
        }

        spec.PodReplacementPolicy ??= spec.PodFailurePolicy is null ? "TerminatingOrFailed" : "Failed";
        spec.ManualSelector ??= false;
        if (spec.Template is { } template)
        {
            PodDefaults.ApplyTemplate(template);
        }
    }
}
