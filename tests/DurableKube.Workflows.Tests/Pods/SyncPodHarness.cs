using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Events;
using DurableKube.Ports.Runtime;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Pods;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>
/// The kubelet's sync activity over an in-memory store, with one fake runtime behind nodes <c>node-1</c> and
/// <c>node-2</c>: what the tests of binding, sandboxes, configuration and recorded events share. One binder for the
/// harness's life, as in a host, so a binding made by one sync is remembered by the next.
/// </summary>
internal sealed class SyncPodHarness
{
    private readonly IEventRecorder? _events;
    private readonly PodBinder _binder;

    public SyncPodHarness(IEventRecorder? events = null)
    {
        _events = events;
        _binder = new PodBinder(Registry(), TimeProvider.System, NullLogger<PodBinder>.Instance, events);
    }

    public InMemoryObjectStore Store { get; } = new();

    public FakeContainerRuntime Runtime { get; } = new();

    public ObjectRegistry Registry() => new(Store, BuiltInKinds.Registry(), [], TimeProvider.System, NullLogger<ObjectRegistry>.Instance);

    public SyncPodActivity Activity(KubeletOptions? options = null) => new(
        Registry(), new NodeRuntimes([new NodeRuntime("node-1", Runtime), new NodeRuntime("node-2", Runtime)]), new FixedOptions<KubeletOptions>(options ?? new KubeletOptions()),
        TimeProvider.System, NullLogger<SyncPodActivity>.Instance, _binder, _events);

    /// <summary>Stores a Ready node with room for pods.</summary>
    public Task StoreNodeAsync(string name = "node-1", string cpu = "2") => Store.CreateAsync(ResourceTypes.Nodes, new V1Node
    {
        ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = name, Uid = "n-" + name },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("4Gi"), ["pods"] = new("110") },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    });
}
