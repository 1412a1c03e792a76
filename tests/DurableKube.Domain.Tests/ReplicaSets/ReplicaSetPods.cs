using DurableKube.Domain.Controllers;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Tests.ReplicaSets;

/// <summary>The docs' <c>frontend</c> ReplicaSet and pods around it, as a ReplicaSet's sync sees them.</summary>
internal static class ReplicaSetPods
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public const string Uid = "rs-uid";

    public static V1ReplicaSet Frontend(int? replicas = 3, int minReadySeconds = 0, bool deleting = false, V1ReplicaSetStatus? status = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta
        {
            Name = "frontend",
            NamespaceProperty = "default",
            Uid = Uid,
            Generation = 2,
            CreationTimestamp = KubeTime.Truncate(T0),
            DeletionTimestamp = deleting ? KubeTime.Truncate(T0) : null,
        },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "frontend" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["tier"] = "frontend", ["app"] = "guestbook" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "php-redis", Image = "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5" }] },
            },
        },
        Status = status,
    };

    /// <summary>A pod; by default the ReplicaSet's, fully labeled, Running and Ready on node-1 since T0.</summary>
    public static V1Pod Pod(
        string name,
        string? owner = Uid,
        string phase = "Running",
        bool ready = true,
        string? node = "node-1",
        double readyAgo = 3600,
        double createdAgo = 3600,
        int restarts = 0,
        string? cost = null,
        bool deleting = false,
        IDictionary<string, string>? labels = null,
        DateTimeOffset? now = null,
        bool readyTime = true) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = name + "-uid",
            CreationTimestamp = KubeTime.Truncate((now ?? T0).AddSeconds(-createdAgo)),
            DeletionTimestamp = deleting ? KubeTime.Truncate(T0) : null,
            Labels = labels ?? new Dictionary<string, string> { ["tier"] = "frontend", ["app"] = "guestbook" },
            Annotations = cost is null ? null : new Dictionary<string, string> { [PodDeletionOrder.DeletionCostAnnotation] = cost },
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = owner == Uid ? "frontend" : "other", Uid = owner, Controller = true, BlockOwnerDeletion = true }],
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "php-redis", Image = "gb-frontend:v5" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions =
            [
                new V1PodCondition
                {
                    Type = "Ready",
                    Status = ready ? "True" : "False",
                    LastTransitionTime = readyTime ? KubeTime.Truncate((now ?? T0).AddSeconds(-readyAgo)) : null,
                },
            ],
            ContainerStatuses = [new V1ContainerStatus { Name = "php-redis", RestartCount = restarts, Ready = ready }],
        },
    };

    public static IReadOnlyList<V1Pod> Running(int count, string prefix = "p") =>
        [.. Enumerable.Range(0, count).Select(i => Pod($"{prefix}{i}"))];
}
