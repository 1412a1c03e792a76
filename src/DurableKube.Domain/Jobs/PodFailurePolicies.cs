using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>How a Job's <c>podFailurePolicy</c> judges a failed pod (pkg/controller/job/pod_failure_policy.go, <c>matchPodFailurePolicy</c>).</summary>
public static class PodFailurePolicies
{
    /// <summary>Finds the first rule that matches a failed pod: on the exit codes of its terminated containers, or on its conditions.</summary>
    /// <param name="policy">The policy, or <see langword="null"/> for none.</param>
    /// <param name="pod">A failed pod.</param>
    /// <returns>The rule's action (FailJob, Ignore, Count, FailIndex) and, for FailJob, the Job's failure message; <see langword="null"/> when no rule matches.</returns>
    public static (string Action, string Message)? Match(V1PodFailurePolicy? policy, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var rules = policy?.Rules ?? [];
        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index];
            if (rule.OnExitCodes is { } codes)
            {
                foreach (var status in (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []))
                {
                    if (status.State?.Terminated is not { } terminated || terminated.ExitCode == 0
                        || (codes.ContainerName is { Length: > 0 } name && name != status.Name))
                    {
                        continue;
                    }

                    var listed = (codes.Values ?? []).Contains(terminated.ExitCode);
                    if (codes.OperatorProperty == "In" ? listed : !listed)
                    {
                        return (rule.Action, string.Create(CultureInfo.InvariantCulture,
                            $"Container {status.Name} for pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed with exit code {terminated.ExitCode} matching {rule.Action} rule at index {index}"));
                    }
                }
            }

            foreach (var pattern in rule.OnPodConditions ?? [])
            {
                if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == pattern.Type && c.Status == (pattern.Status ?? "True")) is { } condition)
                {
                    return (rule.Action, string.Create(CultureInfo.InvariantCulture,
                        $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has condition {condition.Type} matching {rule.Action} rule at index {index}"));
                }
            }
        }

        return null;
    }
}
