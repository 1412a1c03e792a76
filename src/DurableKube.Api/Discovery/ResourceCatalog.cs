using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;

namespace DurableKube.Api.Discovery;

/// <summary>What discovery says of each served type beyond the registry: verbs, categories, subresources.</summary>
internal static class ResourceCatalog
{
    public static readonly IReadOnlyList<string> Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private static readonly IReadOnlyList<string> StatusVerbs = ["get", "patch", "update"];

    /// <summary>Types listed under the <c>all</c> category (what <c>kubectl get all</c> shows).</summary>
    private static readonly HashSet<string> InAll = new(StringComparer.Ordinal)
    {
        "pods", "services", "replicationcontrollers", "replicasets.apps", "deployments.apps", "statefulsets.apps",
        "daemonsets.apps", "jobs.batch", "cronjobs.batch", "horizontalpodautoscalers.autoscaling",
    };

    public static IReadOnlyList<string> Categories(ResourceType type) => InAll.Contains(type.GroupResource) ? ["all"] : [];

    public static IReadOnlyList<Subresource> Subresources(ResourceType type)
    {
        var list = new List<Subresource>();
        if (type == ResourceTypes.Pods)
        {
            list.Add(new Subresource("log", ["get"]));
        }

        if (type == ResourceTypes.Namespaces)
        {
            list.Add(new Subresource("finalize", ["update"]));
        }

        if (ObjectStrategies.For(type).HasStatus)
        {
            list.Add(new Subresource("status", StatusVerbs));
        }

        return list;
    }

    public static bool Serves(ResourceType type, string subresource, string verb) =>
        Subresources(type).Any(s => s.Name == subresource && s.Verbs.Contains(verb));
}
