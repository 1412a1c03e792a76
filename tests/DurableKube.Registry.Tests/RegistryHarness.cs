using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Testing.Store;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace DurableKube.Registry.Tests;

/// <summary>An <see cref="ObjectRegistry"/> over the in-memory store, with the built-in kinds, a fake clock and the objects the tests share.</summary>
internal sealed class RegistryHarness
{
    /// <summary>The fake clock's time: not a whole second, so truncation shows.</summary>
    public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero).AddMilliseconds(589);

    /// <summary>The fake clock's time as Kubernetes timestamps hold it: whole seconds, UTC.</summary>
    public static readonly DateTime NowSeconds = new(2026, 3, 14, 9, 26, 53, DateTimeKind.Utc);

    public RegistryHarness(params IWriteHook[] hooks)
        : this(null, hooks)
    {
    }

    public RegistryHarness(Func<IObjectStore, IObjectStore>? wrap, params IWriteHook[] hooks)
    {
        Logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        Registry = new ObjectRegistry(wrap?.Invoke(Store) ?? Store, BuiltInKinds.Registry(), hooks, Time, Logger.Object);
    }

    public InMemoryObjectStore Store { get; } = new();

    public FakeTimeProvider Time { get; } = new(Now);

    public Mock<ILogger<ObjectRegistry>> Logger { get; } = new();

    public ObjectRegistry Registry { get; }

    public static ObjectKey PodKey(string name, string ns = "default") => new(ResourceTypes.Pods, ns, name);

    public static ObjectKey NamespaceKey(string name) => new(ResourceTypes.Namespaces, null, name);

    public static ObjectKey NodeKey(string name) => new(ResourceTypes.Nodes, null, name);

    /// <summary>Makes a pod as a client sends it: no uid, no resource version.</summary>
    public static V1Pod NewPod(string name, string? node = null, string ns = "default", params string[] finalizers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Finalizers = finalizers.Length > 0 ? [.. finalizers] : null },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    public async Task<V1Namespace> NamespaceAsync(string name) =>
        (V1Namespace)await Registry.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });

    public async Task<V1Pod> PodAsync(string name, string? node = null, params string[] finalizers) =>
        (V1Pod)await Registry.CreateAsync(ResourceTypes.Pods, NewPod(name, node, "default", finalizers));

    public async Task<V1Node> NodeAsync(string name, params string[] finalizers) =>
        (V1Node)await Registry.CreateAsync(ResourceTypes.Nodes, new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Finalizers = finalizers.Length > 0 ? [.. finalizers] : null },
        });

    /// <summary>Writes a pod's phase through the status subresource, as its kubelet does.</summary>
    public async Task<V1Pod> PhaseAsync(string name, string phase) =>
        (V1Pod)(await Registry.UpdateAsync(PodKey(name), pod =>
        {
            ((V1Pod)pod).Status.Phase = phase;
            return pod;
        }, UpdateOptions.Status())).Object;

    public async Task<V1Pod?> GetPodAsync(string name) => (V1Pod?)await Store.GetAsync(PodKey(name));

    public async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key) => await Store.GetAsync(key);

    public async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(ResourceType type) =>
        (await Store.ListAsync(type, null, ListQuery.All)).Items;
}
