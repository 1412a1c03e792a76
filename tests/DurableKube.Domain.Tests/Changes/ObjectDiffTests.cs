using DurableKube.Domain.Changes;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Tests.Changes;

public class ObjectDiffTests
{
    private static readonly DateTime Deleted = new(2026, 1, 1, 12, 0, 30, DateTimeKind.Utc);

    private static V1Pod Pod() => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "default",
            Uid = "uid-web",
            ResourceVersion = "7",
            Generation = 1,
            Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" },
            Annotations = new Dictionary<string, string> { ["note"] = "a" },
            Finalizers = ["example.com/keep"],
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-1", Uid = "uid-rs", Controller = true }],
        },
        Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.5" },
    };

    [Theory]
    [InlineData("status phase", ChangeFacets.Status | ChangeFacets.Serving | ChangeFacets.PodFinished)]
    [InlineData("status added", ChangeFacets.Status | ChangeFacets.Serving)]
    [InlineData("image", ChangeFacets.Spec)]
    [InlineData("label value", ChangeFacets.Labels)]
    [InlineData("label removed", ChangeFacets.Labels)]
    [InlineData("annotation", ChangeFacets.Annotations)]
    [InlineData("owner", ChangeFacets.Owners)]
    [InlineData("owner released", ChangeFacets.Owners)]
    [InlineData("finalizer removed", ChangeFacets.Finalizers)]
    [InlineData("deletion started", ChangeFacets.Deletion)]
    [InlineData("resourceVersion", ChangeFacets.None)]
    [InlineData("generation", ChangeFacets.None)]
    [InlineData("labels in another order", ChangeFacets.None)]
    [InlineData("nothing", ChangeFacets.None)]
    [InlineData("image and status", ChangeFacets.Spec | ChangeFacets.Status | ChangeFacets.Serving | ChangeFacets.PodFinished)]
    public void Each_facet_shows_alone(string change, ChangeFacets expected)
    {
        var old = Pod();
        var now = KubeJson.Clone(old);
        switch (change)
        {
            case "status phase": now.Status.Phase = "Succeeded"; break;
            case "status added": old.Status = null; break;
            case "image": now.Spec.Containers[0].Image = "nginx:1.28"; break;
            case "label value": now.Metadata.Labels["tier"] = "back"; break;
            case "label removed": now.Metadata.Labels.Remove("tier"); break;
            case "annotation": now.Metadata.Annotations["note"] = "b"; break;
            case "owner": now.Metadata.OwnerReferences[0].Uid = "uid-rs-2"; break;
            case "owner released": now.Metadata.OwnerReferences = null; break;
            case "finalizer removed": now.Metadata.Finalizers = []; break;
            case "deletion started": now.Metadata.DeletionTimestamp = Deleted; now.Metadata.DeletionGracePeriodSeconds = 30; break;
            case "resourceVersion": now.Metadata.ResourceVersion = "8"; break;
            case "generation": now.Metadata.Generation = 2; break;
            case "labels in another order": now.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" }; break;
            case "nothing": break;
            case "image and status": now.Spec.Containers[0].Image = "nginx:1.28"; now.Status.Phase = "Failed"; break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        Assert.Equal(expected, ObjectDiff.Between(old, now));
    }

    [Theory]
    [InlineData(30L, 10L, 20, ChangeFacets.Deletion)] // a shorter grace moves the timestamp too
    [InlineData(30L, 0L, 0, ChangeFacets.Deletion)]   // the grace alone changed
    [InlineData(30L, 30L, 0, ChangeFacets.None)]
    public void A_change_of_the_deletion_grace_is_a_Deletion_change(long before, long after, int earlierBySeconds, ChangeFacets expected)
    {
        var old = Pod();
        old.Metadata.DeletionTimestamp = Deleted;
        old.Metadata.DeletionGracePeriodSeconds = before;
        var now = KubeJson.Clone(old);
        now.Metadata.DeletionTimestamp = Deleted.AddSeconds(-earlierBySeconds);
        now.Metadata.DeletionGracePeriodSeconds = after;

        Assert.Equal(expected, ObjectDiff.Between(old, now));
    }

    [Fact]
    public void A_create_and_a_removal_change_everything()
    {
        Assert.Equal(ChangeFacets.All, ObjectDiff.Between(null, Pod()));
        Assert.Equal(ChangeFacets.All, ObjectDiff.Between(Pod(), null));
        Assert.Equal(
            ChangeFacets.Spec | ChangeFacets.Status | ChangeFacets.Labels | ChangeFacets.Annotations | ChangeFacets.Owners | ChangeFacets.Finalizers | ChangeFacets.Deletion
                | ChangeFacets.Serving | ChangeFacets.NodeReady | ChangeFacets.PodFinished | ChangeFacets.NodeAllocatable | ChangeFacets.Mirrored,
            ChangeFacets.All);
    }

    [Theory]
    [InlineData("user's subsets", null, ChangeFacets.Spec | ChangeFacets.Mirrored)]
    [InlineData("user's label", null, ChangeFacets.Labels | ChangeFacets.Mirrored)]
    [InlineData("user's annotation", null, ChangeFacets.Annotations | ChangeFacets.Mirrored)]
    [InlineData("user's owner", null, ChangeFacets.Owners)]
    [InlineData("controller's subsets", "endpoints.kubernetes.io/managed-by=endpoint-controller", ChangeFacets.Spec)]
    [InlineData("skip-mirror's subsets", "endpointslice.kubernetes.io/skip-mirror=true", ChangeFacets.Spec)]
    [InlineData("skip-mirror set", null, ChangeFacets.Labels | ChangeFacets.Mirrored)]
    public void An_Endpoints_change_is_Mirrored_when_the_mirroring_controller_mirrors_it_before_or_after(string change, string? label, ChangeFacets expected)
    {
        var old = new V1Endpoints
        {
            ApiVersion = "v1",
            Kind = "Endpoints",
            Metadata = new V1ObjectMeta { Name = "ext", Labels = label is null ? null : new Dictionary<string, string> { [label.Split('=')[0]] = label.Split('=')[1] } },
            Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "192.0.2.1" }] }],
        };
        var now = KubeJson.Clone(old);
        switch (change)
        {
            case "user's subsets" or "controller's subsets" or "skip-mirror's subsets": now.Subsets[0].Addresses[0].Ip = "192.0.2.2"; break;
            case "user's label": now.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" }; break;
            case "user's annotation": now.Metadata.Annotations = new Dictionary<string, string> { ["x"] = "y" }; break;
            case "user's owner": now.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "c", Uid = "u" }]; break;
            case "skip-mirror set": now.Metadata.Labels = new Dictionary<string, string> { ["endpointslice.kubernetes.io/skip-mirror"] = "true" }; break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        Assert.Equal(expected, ObjectDiff.Between(old, now));
    }

    [Fact]
    public void Missing_and_empty_labels_annotations_and_finalizers_are_the_same()
    {
        var old = Pod();
        old.Metadata.Labels = null;
        old.Metadata.Annotations = null;
        old.Metadata.Finalizers = null;
        var now = KubeJson.Clone(old);
        now.Metadata.Labels = new Dictionary<string, string>();
        now.Metadata.Annotations = new Dictionary<string, string>();
        now.Metadata.Finalizers = [];

        Assert.Equal(ChangeFacets.None, ObjectDiff.Between(old, now));
    }

    [Fact]
    public void For_a_kind_without_a_spec_whatever_is_not_metadata_or_status_is_the_spec()
    {
        var old = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1" } };
        var now = KubeJson.Clone(old);
        now.Data["a"] = "2";
        var relabelled = KubeJson.Clone(old);
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };

        Assert.Equal(ChangeFacets.Spec, ObjectDiff.Between(old, now));
        Assert.Equal(ChangeFacets.Labels, ObjectDiff.Between(old, relabelled));
    }

    [Theory]
    [InlineData("Running", "Succeeded", true)]
    [InlineData("Pending", "Failed", true)]
    [InlineData("Pending", "Running", false)]
    [InlineData("Succeeded", "Succeeded", false)]
    [InlineData("Failed", "Succeeded", false)] // it held nothing before either
    public void A_pod_finishes_when_its_phase_turns_Succeeded_or_Failed(string before, string after, bool finished)
    {
        var old = Pod();
        old.Status.Phase = before;
        var now = KubeJson.Clone(old);
        now.Status.Phase = after;

        Assert.Equal(finished, ObjectDiff.Between(old, now).HasFlag(ChangeFacets.PodFinished));
    }

    [Theory]
    [InlineData("allocatable cpu", ChangeFacets.Status | ChangeFacets.NodeAllocatable)]
    [InlineData("allocatable pods removed", ChangeFacets.Status | ChangeFacets.NodeAllocatable)]
    [InlineData("capacity alone", ChangeFacets.Status)]
    [InlineData("heartbeat", ChangeFacets.Status)]
    [InlineData("not ready", ChangeFacets.Status | ChangeFacets.NodeReady)]
    [InlineData("cordoned", ChangeFacets.Spec)]
    public void A_nodes_allocatable_and_ready_status_show_apart_from_its_heartbeat(string change, ChangeFacets expected)
    {
        var old = new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = "node-1" },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["pods"] = new("110") },
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["pods"] = new("110") },
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = Deleted }],
            },
        };
        var now = KubeJson.Clone(old);
        switch (change)
        {
            case "allocatable cpu": now.Status.Allocatable["cpu"] = new ResourceQuantity("1500m"); break;
            case "allocatable pods removed": now.Status.Allocatable.Remove("pods"); break;
            case "capacity alone": now.Status.Capacity["cpu"] = new ResourceQuantity("4"); break;
            case "heartbeat": now.Status.Conditions[0].LastHeartbeatTime = Deleted.AddSeconds(10); break;
            case "not ready": now.Status.Conditions[0].Status = "Unknown"; break;
            case "cordoned": now.Spec.Unschedulable = true; break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        Assert.Equal(expected, ObjectDiff.Between(old, now));
    }
}
