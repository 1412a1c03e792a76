using DurableKube.Domain.Resources;
using DurableKube.Domain.Services;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Services;

/// <summary>The endpoints controller with the real workflows: Endpoints and slices follow the pods' labels, addresses and Ready condition.</summary>
public sealed class EndpointsControllerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private WorkflowHarness _harness = null!;
    private int _next;

    public async Task InitializeAsync()
    {
        _harness = await WorkflowHarness.StartAsync();
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        _harness.Runtime.OnCreateSandbox = spec => Ports.Runtime.SandboxStatus.Ready($"127.1.0.{Interlocked.Increment(ref _next)}", "127.0.0.1");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Pod Pod(string name, string app = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec
        {
            TerminationGracePeriodSeconds = 1,
            Containers = [new V1Container { Name = "web", Image = "python:3", Command = ["sleep", "3600"], Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }],
        },
    };

    private async Task<V1Endpoints> WaitForEndpointsAsync(Func<V1Endpoints, bool> condition, string what, Func<Task>? write = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        V1Endpoints? last = null;
        var nextWrite = DateTime.MinValue;
        while (DateTime.UtcNow < deadline)
        {
            if (write is not null && DateTime.UtcNow >= nextWrite)
            {
                await write();
                nextWrite = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            }

            last = (V1Endpoints?)await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, "default", "web"));
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: last Endpoints {Domain.Serialization.KubeJson.Serialize(last)}");
    }

    private async Task<V1EndpointSlice> WaitForSliceAsync(Func<V1EndpointSlice, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        List<V1EndpointSlice> last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = (await _harness.Store.ListAsync(ResourceTypes.EndpointSlices, "default", ListQuery.All)).Items.Cast<V1EndpointSlice>().ToList();
            if (last is [var only] && condition(only))
            {
                return only;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: last slices {Domain.Serialization.KubeJson.Serialize(last)}");
    }

    private static IEnumerable<string> Ready(V1Endpoints e) => (e.Subsets ?? []).SelectMany(s => s.Addresses ?? []).Select(a => a.TargetRef.Name).Order(StringComparer.Ordinal);

    private static IEnumerable<string> NotReady(V1Endpoints e) => (e.Subsets ?? []).SelectMany(s => s.NotReadyAddresses ?? []).Select(a => a.TargetRef.Name).Order(StringComparer.Ordinal);

    private async Task SetReadyAsync(string pod, string status) =>
        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Pods, "default", pod), obj =>
        {
            var ready = ((V1Pod)obj).Status.Conditions.Single(c => c.Type == "Ready");
            ready.Status = status;
            return obj;
        }, UpdateOptions.Status());

    [Fact]
    public async Task Endpoints_and_slices_follow_the_selected_pods_their_labels_and_their_Ready_condition()
    {
        await _harness.CreatePodAsync(Pod("a"));
        await _harness.CreatePodAsync(Pod("b"));
        await _harness.CreatePodAsync(Pod("other", app: "db"));
        await _harness.WaitForPodAsync("a", p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        await _harness.WaitForPodAsync("b", p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var service = (V1Service)await _harness.Registry.CreateAsync(ResourceTypes.Services, new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
        });

        var endpoints = await WaitForEndpointsAsync(e => Ready(e).SequenceEqual(["a", "b"]), "both pods ready");
        Assert.Equal(8080, endpoints.Subsets[0].Ports[0].Port);
        // The slices are written after the Endpoints, by the same sync.
        var slice = await WaitForSliceAsync(s => s.Endpoints?.Count == 2, "one slice with both pods");
        Assert.Equal(service.Metadata.Uid, slice.Metadata.OwnerReferences[0].Uid);

        // The test stands in for the kubelet, which owns the pod's status and may write it again after the test (a late
        // sync of the pod's workflow): the Ready condition is written again until the controller has acted on it.
        await WaitForEndpointsAsync(e => Ready(e).SequenceEqual(["b"]) && NotReady(e).SequenceEqual(["a"]), "a not ready", () => SetReadyAsync("a", "False"));
        await WaitForEndpointsAsync(e => Ready(e).SequenceEqual(["a", "b"]) && !NotReady(e).Any(), "a ready again", () => SetReadyAsync("a", "True"));

        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Pods, "default", "other"), obj =>
        {
            obj.Metadata.Labels["app"] = "web";
            return obj;
        });
        await WaitForEndpointsAsync(e => Ready(e).SequenceEqual(["a", "b", "other"]), "other relabelled into the Service");
        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Pods, "default", "b"), obj =>
        {
            obj.Metadata.Labels["app"] = "gone";
            return obj;
        });
        await WaitForEndpointsAsync(e => Ready(e).SequenceEqual(["a", "other"]), "b relabelled out of the Service");

        await _harness.DeletePodAsync("a", 0);
        await WaitForEndpointsAsync(e => Ready(e).SequenceEqual(["other"]), "a deleted");

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Services, "default", "web"));
        var deadline = DateTime.UtcNow + Patience;
        while (await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, "default", "web")) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the Endpoints of a deleted Service should go with it");
            await Task.Delay(100);
        }
    }

    private async Task<List<V1EndpointSlice>> WaitForMirroredAsync(Func<List<V1EndpointSlice>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        List<V1EndpointSlice> last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = (await _harness.Store.ListAsync(ResourceTypes.EndpointSlices, "default", ListQuery.All)).Items.Cast<V1EndpointSlice>()
                .Where(s => Label(s.Metadata, EndpointsSync.ManagedByLabel) == EndpointSliceMirroring.ManagedBy).ToList();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: last mirrored slices {Domain.Serialization.KubeJson.Serialize(last)}");
    }

    private static string? Label(V1ObjectMeta meta, string key) => meta.Labels is not null && meta.Labels.TryGetValue(key, out var value) ? value : null;

    private static string Mirrored(List<V1EndpointSlice> slices) =>
        string.Join(";", slices.Select(s => string.Join(",", s.Endpoints.Select(e => $"{e.Addresses[0]}/{e.Conditions.Ready}"))));

    private async Task WriteUserEndpointsAsync(params V1EndpointSubset[] subsets)
    {
        var key = new ObjectKey(ResourceTypes.Endpoints, "default", "web");
        if (await _harness.Registry.GetAsync(key) is null)
        {
            await _harness.Registry.CreateAsync(ResourceTypes.Endpoints, new V1Endpoints { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" }, Subsets = subsets });
            return;
        }

        await _harness.Registry.UpdateAsync(key, obj =>
        {
            ((V1Endpoints)obj).Subsets = subsets;
            return obj;
        });
    }

    [Fact]
    public async Task A_Service_without_selector_keeps_the_Endpoints_its_user_writes_mirrored_in_EndpointSlices()
    {
        await _harness.CreatePodAsync(Pod("a"));
        await _harness.Registry.CreateAsync(ResourceTypes.Services, new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        });
        await WriteUserEndpointsAsync(new V1EndpointSubset
        {
            Addresses = [new V1EndpointAddress { Ip = "192.0.2.10" }],
            NotReadyAddresses = [new V1EndpointAddress { Ip = "192.0.2.11" }],
            Ports = [new Corev1EndpointPort { Port = 80 }],
        });

        // The Endpoints' creation wakes the Service's controller, which mirrors it.
        var slice = Assert.Single(await WaitForMirroredAsync(s => Mirrored(s) == "192.0.2.10/True,192.0.2.11/False", "the Endpoints mirrored"));
        Assert.Equal("web", slice.Metadata.Labels[EndpointsSync.ServiceNameLabel]);
        Assert.Equal("Endpoints", slice.Metadata.OwnerReferences[0].Kind);

        // Its update is followed; the pods, which the Service does not select, never enter.
        await WriteUserEndpointsAsync(new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "192.0.2.12" }], Ports = [new Corev1EndpointPort { Port = 80 }] });
        await WaitForMirroredAsync(s => Mirrored(s) == "192.0.2.12/True", "the update mirrored");
        await _harness.WaitForPodAsync("a", p => p.Status?.Phase == "Running");
        var endpoints = (V1Endpoints)(await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, "default", "web")))!;
        Assert.Equal("192.0.2.12", Assert.Single(Assert.Single(endpoints.Subsets).Addresses).Ip);
        Assert.Single((await _harness.Store.ListAsync(ResourceTypes.EndpointSlices, "default", ListQuery.All)).Items);

        // Its removal takes the slices away.
        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Endpoints, "default", "web"));
        await WaitForMirroredAsync(s => s.Count == 0, "the slices of a deleted Endpoints removed");

        // Written again, then the Service gains a selector: the endpoints controllers take over.
        await WriteUserEndpointsAsync(new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "192.0.2.13" }], Ports = [new Corev1EndpointPort { Port = 80 }] });
        await WaitForMirroredAsync(s => Mirrored(s) == "192.0.2.13/True", "the Endpoints written again mirrored");
        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Services, "default", "web"), obj =>
        {
            ((V1Service)obj).Spec.Selector = new Dictionary<string, string> { ["app"] = "web" };
            return obj;
        });
        await WaitForMirroredAsync(s => s.Count == 0, "the mirrored slices of a Service that gained a selector removed");
        await WaitForEndpointsAsync(e => Label(e.Metadata, EndpointsSync.EndpointsManagedByLabel) == EndpointsSync.EndpointsManagedBy, "the endpoints controller's Endpoints");
    }

    [Fact]
    public async Task Deleting_a_Service_without_selector_takes_its_mirrored_slices_and_Endpoints_with_it()
    {
        await _harness.Registry.CreateAsync(ResourceTypes.Services, new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        });
        await WriteUserEndpointsAsync(new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "192.0.2.10" }], Ports = [new Corev1EndpointPort { Port = 80 }] });
        await WaitForMirroredAsync(s => s.Count == 1, "the Endpoints mirrored");

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Services, "default", "web"));

        await WaitForMirroredAsync(s => s.Count == 0, "the mirrored slices of a deleted Service removed");
        var deadline = DateTime.UtcNow + Patience;
        while (await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, "default", "web")) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the Endpoints of a deleted Service should go with it, as Kubernetes' endpoints controller deletes it");
            await Task.Delay(100);
        }
    }
}
