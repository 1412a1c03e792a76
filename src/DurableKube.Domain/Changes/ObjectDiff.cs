using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Services;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Changes;

/// <summary>Tells what a write changed, as <see cref="ChangeFacets"/>.</summary>
public static class ObjectDiff
{
    private static readonly string[] NotSpec = ["metadata", "status", "apiVersion", "kind"];

    /// <summary>Compares an object before and after a write.</summary>
    /// <param name="old">The object before; <see langword="null"/> for a create.</param>
    /// <param name="now">The object after; <see langword="null"/> for a removal.</param>
    /// <returns>What changed: everything for a create or a removal.</returns>
    public static ChangeFacets Between(IKubernetesObject<V1ObjectMeta>? old, IKubernetesObject<V1ObjectMeta>? now)
    {
        if (old is null || now is null)
        {
            return ChangeFacets.All;
        }

        var before = KubeJson.ToNode(old)!.AsObject();
        var after = KubeJson.ToNode(now)!.AsObject();
        var facets = ChangeFacets.None;
        if (!JsonNode.DeepEquals(before["status"], after["status"]))
        {
            facets |= ChangeFacets.Status;
        }

        if (!JsonNode.DeepEquals(Without(before, NotSpec), Without(after, NotSpec)))
        {
            facets |= ChangeFacets.Spec;
        }

        var a = old.Metadata ?? new V1ObjectMeta();
        var b = now.Metadata ?? new V1ObjectMeta();
        facets |= Differs(a.Labels, b.Labels) ? ChangeFacets.Labels : ChangeFacets.None;
        facets |= Differs(a.Annotations, b.Annotations) ? ChangeFacets.Annotations : ChangeFacets.None;
        facets |= !JsonNode.DeepEquals(KubeJson.ToNode(a.OwnerReferences), KubeJson.ToNode(b.OwnerReferences)) ? ChangeFacets.Owners : ChangeFacets.None;
        facets |= !(a.Finalizers ?? []).SequenceEqual(b.Finalizers ?? []) ? ChangeFacets.Finalizers : ChangeFacets.None;
        facets |= a.DeletionTimestamp != b.DeletionTimestamp || a.DeletionGracePeriodSeconds != b.DeletionGracePeriodSeconds
            ? ChangeFacets.Deletion
            : ChangeFacets.None;
        if (old is V1Pod podBefore && now is V1Pod podAfter)
        {
            facets |= ServingOf(podBefore) != ServingOf(podAfter) ? ChangeFacets.Serving : ChangeFacets.None;
            facets |= !Finished(podBefore) && Finished(podAfter) ? ChangeFacets.PodFinished : ChangeFacets.None;
        }

        if (old is V1Endpoints endpointsBefore && now is V1Endpoints endpointsAfter
            && (EndpointSliceMirroring.ShouldMirror(endpointsBefore) || EndpointSliceMirroring.ShouldMirror(endpointsAfter)))
        {
            facets |= (facets & (ChangeFacets.Spec | ChangeFacets.Labels | ChangeFacets.Annotations)) != ChangeFacets.None ? ChangeFacets.Mirrored : ChangeFacets.None;
        }

        if (old is V1Node nodeBefore && now is V1Node nodeAfter)
        {
            facets |= ReadyOf(nodeBefore) != ReadyOf(nodeAfter) ? ChangeFacets.NodeReady : ChangeFacets.None;
            facets |= Differs(Quantities(nodeBefore), Quantities(nodeAfter)) ? ChangeFacets.NodeAllocatable : ChangeFacets.None;
        }

        return facets;
    }

    private static bool Finished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private static Dictionary<string, string> Quantities(V1Node node) =>
        (node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>()).ToDictionary(q => q.Key, q => q.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);

    private static string? ReadyOf(V1Node node) => node.Status?.Conditions?.LastOrDefault(c => c.Type == "Ready")?.Status;

    private static (string? PodIP, string? Ready, string? Phase) ServingOf(V1Pod pod) =>
        (pod.Status?.PodIP, pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status, pod.Status?.Phase);

    private static JsonObject Without(JsonObject obj, IEnumerable<string> names)
    {
        var copy = (JsonObject)obj.DeepClone();
        foreach (var name in names)
        {
            copy.Remove(name);
        }

        return copy;
    }

    private static bool Differs(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        a ??= new Dictionary<string, string>();
        b ??= new Dictionary<string, string>();
        return a.Count != b.Count || a.Any(p => !b.TryGetValue(p.Key, out var v) || v != p.Value);
    }
}
