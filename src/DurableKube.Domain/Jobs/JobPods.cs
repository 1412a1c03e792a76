using System.Globalization;
using DurableKube.Domain.Controllers;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>Making a Job's pods (job_controller.go, <c>manageJob</c> and <c>addCompletionIndexEnvVariables</c>).</summary>
public static class JobPods
{
    /// <summary>
    /// Makes a pod of the Job from its template, tracked by the Job's finalizer. The pod of an Indexed Job holds its
    /// completion index: named <c>&lt;job&gt;-&lt;index&gt;-xxxxx</c>, in the <see cref="JobLabels.CompletionIndex"/>
    /// annotation and label, as its hostname <c>&lt;job&gt;-&lt;index&gt;</c> (unless the template sets one), and in
    /// every container's <see cref="JobLabels.CompletionIndexEnv"/> through the downward API.
    /// </summary>
    /// <param name="job">The Job.</param>
    /// <param name="controllerRef">The Job's controller reference.</param>
    /// <param name="index">The completion index of an Indexed Job's pod; <see langword="null"/> otherwise.</param>
    /// <returns>The pod, to be created.</returns>
    public static V1Pod NewPod(V1Job job, V1OwnerReference controllerRef, int? index = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = job.Metadata.Name;
        var pod = PodTemplates.NewPod(job.Spec.Template, job.Metadata.NamespaceProperty, index is { } i ? $"{name}-{i.ToString(CultureInfo.InvariantCulture)}" : name, controllerRef);
        pod.Metadata.Finalizers = [.. pod.Metadata.Finalizers ?? [], JobLabels.TrackingFinalizer];
        if (index is not { } ix)
        {
            return pod;
        }

        var text = ix.ToString(CultureInfo.InvariantCulture);
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[JobLabels.CompletionIndex] = text;
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Labels[JobLabels.CompletionIndex] = text;
        pod.Spec.Hostname ??= $"{name}-{text}";
        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []))
        {
            if (container.Env?.Any(e => e.Name == JobLabels.CompletionIndexEnv) == true)
            {
                continue;
            }

            container.Env = [.. container.Env ?? [], new V1EnvVar
            {
                Name = JobLabels.CompletionIndexEnv,
                ValueFrom = new V1EnvVarSource
                {
                    FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = $"metadata.annotations['{JobLabels.CompletionIndex}']" },
                },
            }];
        }

        return pod;
    }
}
