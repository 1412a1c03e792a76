using k8s.Models;

namespace DurableKube.Domain.Defaulting;

/// <summary>A pod's quality of service class, from its containers' requests and limits (pkg/apis/core/helper/qos).</summary>
public static class PodQos
{
    private static readonly string[] Tracked = ["cpu", "memory"];

    /// <summary>Computes <c>Guaranteed</c>, <c>Burstable</c> or <c>BestEffort</c>.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The class.</returns>
    public static string Compute(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []))
        {
            Sum(container.Resources?.Requests, requests);
            var found = Sum(container.Resources?.Limits, limits);
            if (!Tracked.All(found.Contains))
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }

        if (guaranteed && requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value) && requests.Count == limits.Count)
        {
            return "Guaranteed";
        }

        return "Burstable";
    }

    private static HashSet<string> Sum(IDictionary<string, ResourceQuantity>? quantities, Dictionary<string, decimal> totals)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, quantity) in quantities ?? new Dictionary<string, ResourceQuantity>())
        {
            if (!Tracked.Contains(name) || quantity is null)
            {
                continue;
            }

            var value = quantity.ToDecimal();
            if (value == 0)
            {
                continue;
            }

            found.Add(name);
            totals[name] = totals.GetValueOrDefault(name) + value;
        }

        return found;
    }
}
