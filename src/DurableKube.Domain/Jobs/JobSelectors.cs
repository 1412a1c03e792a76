using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>The selector the API server generates for a Job (pkg/registry/batch/job/strategy.go, <c>generateSelector</c>).</summary>
public static class JobSelectors
{
    /// <summary>
    /// Unless the user manages the selector (<c>manualSelector: true</c>), labels the template with the Job's
    /// name and uid (<c>batch.kubernetes.io/job-name</c>, <c>batch.kubernetes.io/controller-uid</c> and their
    /// unprefixed forms; labels the user set are kept, for validation to judge) and selects
    /// <c>batch.kubernetes.io/controller-uid=&lt;uid&gt;</c>. A Job without labels of its own then takes its
    /// template's, as the batch/v1 defaults give it.
    /// </summary>
    /// <param name="job">The new Job, with its name and uid; changed in place.</param>
    public static void Generate(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = job.Spec ??= new V1JobSpec();
        if (spec.ManualSelector != true)
        {
            var template = spec.Template ??= new V1PodTemplateSpec();
            var metadata = template.Metadata ??= new V1ObjectMeta();
            var labels = metadata.Labels ??= new Dictionary<string, string>();
            labels.TryAdd(JobLabels.LegacyJobName, job.Metadata.Name);
            labels.TryAdd(JobLabels.JobName, job.Metadata.Name);
            labels.TryAdd(JobLabels.LegacyControllerUid, job.Metadata.Uid);
            labels.TryAdd(JobLabels.ControllerUid, job.Metadata.Uid);
            var selector = spec.Selector ??= new V1LabelSelector();
            (selector.MatchLabels ??= new Dictionary<string, string>()).TryAdd(JobLabels.ControllerUid, job.Metadata.Uid);
        }

        if (job.Metadata.Labels is not { Count: > 0 } && spec.Template?.Metadata?.Labels is { Count: > 0 } templateLabels)
        {
            job.Metadata.Labels = new Dictionary<string, string>(templateLabels);
        }
    }
}
