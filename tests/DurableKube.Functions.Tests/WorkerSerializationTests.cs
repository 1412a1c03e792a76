using Azure.Core.Serialization;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Functions.Tests.Support;
using DurableKube.Ports.Queue;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Pods;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurableKube.Functions.Tests;

/// <summary>
/// What crosses the Functions host goes through the worker's serializer: queue messages bound to
/// <see cref="ObjectChange"/>, and every workflow input, output and event (the Durable extension wraps
/// <see cref="WorkerOptions.Serializer"/>). The local host uses another serializer setup, so these
/// payloads are checked against the worker's own defaults.
/// </summary>
public sealed class WorkerSerializationTests
{
    private static readonly ObjectSerializer Serializer = CreateSerializer();

    private static ObjectSerializer CreateSerializer()
    {
        var services = new ServiceCollection();
        services.AddFunctionsWorkerCore();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer!;
    }

    private static T RoundTrip<T>(T value)
    {
        var json = Serializer.Serialize(value, typeof(T));
        using var stream = json.ToStream();
        return (T)Serializer.Deserialize(stream, typeof(T), CancellationToken.None)!;
    }

    private static string Json<T>(T value) => Serializer.Serialize(value, typeof(T)).ToString();

    private static PodLifecycleState State()
    {
        var pod = FunctionHarness.Pod("web");
        pod.Metadata.Uid = "u-1";
        return PodLifecycle.Initialize(pod, new KubeletOptions().ToSettings());
    }

    [Fact]
    public void A_queue_message_as_the_store_writes_it_binds_to_the_change()
    {
        var change = new ObjectChange(ResourceTypes.Pods.GroupResource, "default", "web", "u-1", ObjectChangeType.Modified, "42");
        var message = BinaryData.FromObjectAsJson(change);

        using var stream = message.ToStream();
        var bound = Serializer.Deserialize(stream, typeof(ObjectChange), CancellationToken.None);

        Assert.Equal(change, bound);
    }

    [Fact]
    public void The_pod_lifecycle_state_round_trips()
    {
        var state = State() with { NodeName = "node-1", Sandbox = new SandboxAddresses("127.0.0.1", "127.0.0.1"), ScheduleRetryAt = DateTimeOffset.UnixEpoch };

        var copy = RoundTrip(state);

        Assert.Equal(Json(state), Json(copy));
        Assert.Equal(state.Pod, copy.Pod);
        Assert.Equal(state.Containers.Select(c => c.Name), copy.Containers.Select(c => c.Name));
    }

    [Fact]
    public void A_sync_request_keeps_its_commands_types()
    {
        var state = State();
        var request = new SyncPodRequest(state, PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands);

        var copy = RoundTrip(request);

        Assert.Equal(request.Commands, copy.Commands);
        Assert.Equal(Json(request), Json(copy));
    }

    [Fact]
    public void A_sync_result_keeps_its_outcomes_types()
    {
        var result = new SyncPodResult([new PodBound("node-1"), new SandboxCreated(new SandboxAddresses("127.0.0.1", "127.0.0.1"))], new KubeletOptions().ToSettings());

        var copy = RoundTrip(result);

        Assert.Equal(result.Outcomes, copy.Outcomes);
        Assert.Equal(result.Settings, copy.Settings);
    }

    [Fact]
    public void Pod_events_keep_their_signals_types()
    {
        var exited = new PodEvent(new ContainerExited("app", 2, DateTimeOffset.UnixEpoch, 3, "Error"));
        var deleted = new PodEvent(new PodDeletionRequested(DateTimeOffset.UnixEpoch, ObjectGone: true));

        Assert.Equal(exited, RoundTrip(exited));
        Assert.Equal(deleted, RoundTrip(deleted));
    }

    [Fact]
    public void A_namespace_reference_round_trips()
    {
        var ns = new NamespaceRef("doomed", "u-2");

        Assert.Equal(ns, RoundTrip(ns));
    }
}
