using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// What a pod asks of a node, as the scheduler adds it up (component-helpers' <c>PodRequests</c>): the sum of
/// the app containers' requests and the sidecars' (init containers with <c>restartPolicy: Always</c>, which
/// run beside them), or, if larger, what the heaviest moment of initialisation needs (an init container plus
/// the sidecars started before it); pod-level requests, when given, replace the containers' CPU and memory;
/// then the runtime class's overhead is added.
/// </summary>
public static class PodRequests
{
    /// <summary>Adds up a pod's requests.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The requests; <see cref="ResourceTotals.Pods"/> is 1 (the pod itself).</returns>
    public static ResourceTotals Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ?? new V1PodSpec();
        var requests = ResourceTotals.Zero;
        foreach (var container in spec.Containers ?? [])
        {
            requests = requests.Add(container.Resources?.Requests);
        }

        var sidecars = ResourceTotals.Zero;
        var initialisation = ResourceTotals.Zero;
        foreach (var container in spec.InitContainers ?? [])
        {
            var asks = container.Resources?.Requests;
            if (container.RestartPolicy == "Always")
            {
                // A sidecar runs on beside everything after it, app containers included.
                requests = requests.Add(asks);
                sidecars = sidecars.Add(asks);
                initialisation = initialisation.Max(sidecars);
            }
            else
            {
                // A regular init container runs alone, beside only the sidecars started before it.
                initialisation = initialisation.Max(sidecars.Add(asks));
            }
        }

        requests = requests.Max(initialisation);
        if (spec.Resources?.Requests is { Count: > 0 } podLevel)
        {
            // Pod-level resources: a pod-level request of CPU or memory is the pod's, whatever its containers ask.
            var level = ResourceTotals.From(podLevel);
            requests = requests with
            {
                MilliCpu = podLevel.ContainsKey(ResourceTotals.Cpu) ? level.MilliCpu : requests.MilliCpu,
                Memory = podLevel.ContainsKey(ResourceTotals.MemoryName) ? level.Memory : requests.Memory,
            };
        }

        return requests.Add(spec.Overhead) with { Pods = 1 };
    }
}
