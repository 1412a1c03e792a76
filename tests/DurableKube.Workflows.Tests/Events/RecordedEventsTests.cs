using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Tests.Pods;
using DurableKube.Workflows.ReplicaSets;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests.Events;

/// <summary>The scheduler, the kubelet's sync and the ReplicaSet controller record the events Kubernetes records.</summary>
public sealed class RecordedEventsTests
{
    private readonly RecordingEventRecorder _events;
    private readonly SyncPodHarness _sync;

    public RecordedEventsTests()
    {
        _events = new RecordingEventRecorder();
        _sync = new SyncPodHarness(_events);
    }

    private async Task<V1Pod> PodAsync(Action<V1Pod>? change = null, bool node = true)
    {
        if (node)
        {
            await _sync.StoreNodeAsync();
        }

        var pod = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-web" },
            Spec = new V1PodSpec { RestartPolicy = "Always", EnableServiceLinks = false, Containers = [new V1Container { Name = "app", Image = "busybox:1.36", Command = ["sleep", "60"] }] },
            Status = new V1PodStatus { Phase = "Pending" },
        };
        change?.Invoke(pod);
        return (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, pod);
    }

    private async Task<PodLifecycleState> SyncAsync(V1Pod pod)
    {
        var state = PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes);
        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands));
        return PodLifecycle.Apply(state, result.Outcomes);
    }

    [Fact]
    public async Task A_new_pod_records_Scheduled_Pulled_Created_Started()
    {
        var pod = await PodAsync();

        await SyncAsync(pod);

        Assert.Equal(
            [
                "Scheduled Successfully assigned default/web to node-1",
                "Pulled Container image \"busybox:1.36\" already present on machine",
                "Created Created container: app",
                "Started Started container app",
            ],
            _events.Lines);
        Assert.Equal(("default-scheduler", "kubelet", "node-1"), (_events.Reports[0].Component, _events.Reports[1].Component, _events.Reports[1].Host));
        Assert.Equal(("Pod", "web", "uid-web", "spec.containers{app}"), (_events.Reports[3].Regarding.Kind, _events.Reports[3].Regarding.Name, _events.Reports[3].Regarding.Uid, _events.Reports[3].Regarding.FieldPath));
    }

    [Fact]
    public async Task A_pod_no_node_fits_records_FailedScheduling_with_the_schedulers_message()
    {
        var pod = await PodAsync(node: false);

        await SyncAsync(pod);

        var report = Assert.Single(_events.Reports);
        Assert.Equal(("Warning", "FailedScheduling"), (report.Type, report.Reason));
        Assert.Equal("no nodes available to schedule pods", report.Message);
    }

    [Fact]
    public async Task A_missing_configmap_records_Failed_with_the_CreateContainerConfigError_message()
    {
        var pod = await PodAsync(p => p.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" } }]);

        await SyncAsync(pod);

        Assert.Contains("Failed Error: configmap \"settings\" not found", _events.Lines);
        Assert.Equal("Warning", _events.Reports.Single(r => r.Reason == "Failed").Type);
    }

    [Fact]
    public async Task A_replicaset_records_SuccessfulCreate_for_each_pod_and_SuccessfulDelete_when_scaled_down()
    {
        var registry = _sync.Registry();
        await _sync.Store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "default", Uid = "ns-1" } });
        var rs = (V1ReplicaSet)await registry.CreateAsync(ResourceTypes.ReplicaSets, new V1ReplicaSet
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox:1.36" }] },
                },
            },
        });
        var activity = new SyncReplicaSetActivity(registry, TimeProvider.System, NullLogger<SyncReplicaSetActivity>.Instance, _events);
        var reference = new ControllerRef("replicasets", "default", "web", rs.Metadata.Uid);

        await activity.RunAsync(reference);
        await registry.UpdateAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "web"), o => { ((V1ReplicaSet)o).Spec.Replicas = 1; return o; });
        await activity.RunAsync(reference);

        var pods = (await _sync.Store.ListAsync(ResourceTypes.Pods, "default", ListQuery.All)).Items.Select(p => p.Metadata.Name).ToList();
        var created = _events.Reports.Where(r => r.Reason == "SuccessfulCreate").Select(r => r.Message).ToList();
        Assert.Equal(2, created.Count);
        Assert.All(created, m => Assert.StartsWith("Created pod: web-", m, StringComparison.Ordinal));
        var deleted = Assert.Single(_events.Reports, r => r.Reason == "SuccessfulDelete");
        Assert.StartsWith("Deleted pod: web-", deleted.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(deleted.Message["Deleted pod: ".Length..], pods);
        Assert.All(_events.Reports, r => Assert.Equal(("replicaset-controller", "ReplicaSet", "web", "Normal"), (r.Component, r.Regarding.Kind, r.Regarding.Name, r.Type)));
    }

}
