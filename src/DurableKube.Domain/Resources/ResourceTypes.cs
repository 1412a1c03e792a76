using k8s.Models;

namespace DurableKube.Domain.Resources;

/// <summary>The resource types this control plane serves.</summary>
public static class ResourceTypes
{
    /// <summary>Pods: one lifecycle workflow each (the kubelet).</summary>
    public static readonly ResourceType Pods = new(
        Group: "", Version: "v1", Plural: "pods", Singular: "pod", Kind: "Pod", Namespaced: true,
        ObjectType: typeof(V1Pod), ListType: typeof(V1PodList), ShortNames: ["po"], Dispatched: true);

    /// <summary>Namespaces: deleting one removes what it holds.</summary>
    public static readonly ResourceType Namespaces = new(
        Group: "", Version: "v1", Plural: "namespaces", Singular: "namespace", Kind: "Namespace", Namespaced: false,
        ObjectType: typeof(V1Namespace), ListType: typeof(V1NamespaceList), ShortNames: ["ns"], Dispatched: true);

    /// <summary>Nodes: registered and kept Ready by each node agent.</summary>
    public static readonly ResourceType Nodes = new(
        Group: "", Version: "v1", Plural: "nodes", Singular: "node", Kind: "Node", Namespaced: false,
        ObjectType: typeof(V1Node), ListType: typeof(V1NodeList), ShortNames: ["no"], Dispatched: false);

    /// <summary>Gets every served type.</summary>
    public static IReadOnlyList<ResourceType> All { get; } = [Pods, Namespaces, Nodes];

    /// <summary>Finds a served type by group and plural resource name.</summary>
    /// <param name="group">The API group; empty for core.</param>
    /// <param name="plural">The plural resource name.</param>
    /// <returns>The type, or <see langword="null"/> if it is not served.</returns>
    public static ResourceType? Find(string group, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Plural == plural);

    /// <summary>Finds a served type by its group-qualified resource name (<see cref="ResourceType.GroupResource"/>).</summary>
    /// <param name="groupResource">e.g. <c>pods</c> or <c>replicasets.apps</c>.</param>
    /// <returns>The type, or <see langword="null"/> if it is not served.</returns>
    public static ResourceType? FindByGroupResource(string groupResource) =>
        All.FirstOrDefault(t => t.GroupResource == groupResource);
}
