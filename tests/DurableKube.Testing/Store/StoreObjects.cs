using System.Globalization;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Testing.Store;

/// <summary>Objects and small helpers the store tests share (the contract tests and the Table store's own).</summary>
public static class StoreObjects
{
    /// <summary>Makes a pod.</summary>
    /// <param name="ns">Its namespace.</param>
    /// <param name="name">Its name.</param>
    /// <param name="label">A label, if any.</param>
    /// <param name="annotationBytes">The size of a filler annotation, if any.</param>
    /// <returns>The pod.</returns>
    public static V1Pod Pod(string ns, string name, (string Key, string Value)? label = null, int annotationBytes = 0) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Uid = $"uid-{ns}-{name}",
            Labels = label is { } l ? new Dictionary<string, string> { [l.Key] = l.Value } : null,
            Annotations = annotationBytes > 0 ? new Dictionary<string, string> { ["blob"] = new string('x', annotationBytes) } : null,
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    /// <summary>Makes a node.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The node.</returns>
    public static V1Node Node(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Uid = $"uid-node-{name}" },
    };

    /// <summary>Makes a namespace.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The namespace.</returns>
    public static V1Namespace Namespace(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta { Name = name, Uid = $"uid-ns-{name}" },
    };

    /// <summary>Makes an object key.</summary>
    /// <param name="type">The type.</param>
    /// <param name="ns">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <returns>The key.</returns>
    public static ObjectKey Key(ResourceType type, string? ns, string name) => new(type, ns, name);

    /// <summary>Reads an object's resource version as a number.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The resource version.</returns>
    public static long Rv(IKubernetesObject<V1ObjectMeta> obj) => Rv(obj.Metadata.ResourceVersion);

    /// <summary>Reads a resource version as a number.</summary>
    /// <param name="resourceVersion">The resource version.</param>
    /// <returns>The number.</returns>
    public static long Rv(string resourceVersion) => long.Parse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Serializes an object for comparison.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>Its JSON.</returns>
    public static string Json(object? obj) => KubeJson.Serialize(obj);

    /// <summary>Copies an object and sets a label on the copy (keeping its resource version).</summary>
    /// <param name="obj">The object.</param>
    /// <param name="key">The label key.</param>
    /// <param name="value">The label value.</param>
    /// <returns>The copy.</returns>
    public static IKubernetesObject<V1ObjectMeta> WithLabel(IKubernetesObject<V1ObjectMeta> obj, string key, string value)
    {
        var copy = KubeJson.Clone(obj);
        copy.Metadata.Labels ??= new Dictionary<string, string>();
        copy.Metadata.Labels[key] = value;
        return copy;
    }
}
