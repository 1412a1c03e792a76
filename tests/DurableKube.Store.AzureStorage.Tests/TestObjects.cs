using System.Globalization;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using DurableKube.Testing.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>Objects and small helpers the Table-specific tests share.</summary>
internal static class TestObjects
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static V1Pod Pod(string ns, string name, int annotationBytes = 0) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Uid = $"uid-{ns}-{name}",
            Annotations = annotationBytes > 0 ? new Dictionary<string, string> { ["blob"] = new string('x', annotationBytes) } : null,
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    public static V1Node Node(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Uid = $"uid-node-{name}" },
    };

    public static IKubernetesObject<V1ObjectMeta> WithLabel(IKubernetesObject<V1ObjectMeta> obj, string key, string value)
    {
        var copy = KubeJson.Clone(obj);
        copy.Metadata.Labels ??= new Dictionary<string, string>();
        copy.Metadata.Labels[key] = value;
        return copy;
    }

    public static long Rv(IKubernetesObject<V1ObjectMeta> obj) => Rv(obj.Metadata.ResourceVersion);

    public static long Rv(string resourceVersion) => long.Parse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture);

    public static string Json(object? obj) => KubeJson.Serialize(obj);

    public static Task<IReadOnlyList<ObjectChangeEvent>> CollectAsync(IObjectStore store, ResourceType type, string? ns, string after, int count) =>
        WatchReader.CollectAsync(store, type, ns, after, count, WaitLimit);

    public static async Task<StoreException?> WatchErrorAsync(IObjectStore store, ResourceType type, string after)
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        try
        {
            await foreach (var change in store.WatchAsync(type, null, after, limit.Token))
            {
                return null;
            }
        }
        catch (StoreException e)
        {
            return e;
        }

        return null;
    }
}
