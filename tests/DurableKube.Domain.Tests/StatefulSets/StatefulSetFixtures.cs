using DurableKube.Domain.Serialization;
using DurableKube.Domain.StatefulSets;
using k8s.Models;

namespace DurableKube.Domain.Tests.StatefulSets;

/// <summary>StatefulSets, pods and revisions for the decision tables.</summary>
internal static class StatefulSetFixtures
{
    public const string Uid = "web-uid";

    public static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public static V1StatefulSet Sts(
        int replicas = 3,
        string policy = StatefulSetSync.OrderedReady,
        string strategy = StatefulSetSync.RollingUpdate,
        int partition = 0,
        int? start = null,
        string image = "nginx:1",
        int minReadySeconds = 0) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = Uid, Generation = 1, CreationTimestamp = KubeTime.Truncate(T0) },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = "nginx",
            PodManagementPolicy = policy,
            MinReadySeconds = minReadySeconds,
            Ordinals = start is { } s ? new V1StatefulSetOrdinals { Start = s } : null,
            UpdateStrategy = new V1StatefulSetUpdateStrategy
            {
                Type = strategy,
                RollingUpdate = strategy == StatefulSetSync.RollingUpdate ? new V1RollingUpdateStatefulSetStrategy { Partition = partition } : null,
            },
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "nginx" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "nginx" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = image }] },
            },
        },
    };

    /// <summary>A set's revisions where the current one is of <paramref name="currentImage"/> and the update one of the set's template.</summary>
    public static RevisionPlan Revisions(V1StatefulSet sts, string? currentImage = null)
    {
        var update = StatefulSetRevisions.NewRevision(sts, 2, 0);
        if (currentImage is null)
        {
            return new RevisionPlan(update, update, RevisionAction.None, 0);
        }

        var old = KubeJson.Clone(sts);
        old.Spec.Template.Spec.Containers[0].Image = currentImage;
        return new RevisionPlan(StatefulSetRevisions.NewRevision(old, 1, 0), update, RevisionAction.None, 0);
    }

    /// <summary>A pod of the set: Running and Ready unless told otherwise, of <paramref name="revision"/>.</summary>
    public static V1Pod Pod(
        int ordinal,
        string revision,
        string phase = "Running",
        bool ready = true,
        bool deleting = false,
        bool owned = true,
        string setName = "web",
        DateTimeOffset? readySince = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{setName}-{ordinal}",
            Uid = $"{setName}-{ordinal}-uid",
            NamespaceProperty = "default",
            CreationTimestamp = KubeTime.Truncate(T0),
            DeletionTimestamp = deleting ? KubeTime.Truncate(T0) : null,
            Labels = new Dictionary<string, string>
            {
                ["app"] = "nginx",
                [StatefulSetIdentity.PodNameLabel] = $"{setName}-{ordinal}",
                [StatefulSetIdentity.PodIndexLabel] = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [StatefulSetIdentity.RevisionLabel] = revision,
            },
            OwnerReferences = owned ? [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = setName, Uid = Uid, Controller = true }] : null,
        },
        Spec = new V1PodSpec { NodeName = "node", Containers = [new V1Container { Name = "nginx", Image = "nginx" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = KubeTime.Truncate(readySince ?? T0.AddMinutes(-1)) }],
        },
    };

    /// <summary>Names, in order.</summary>
    public static string Names(IEnumerable<V1Pod> pods) => string.Join(",", pods.Select(p => p.Metadata.Name));
}
