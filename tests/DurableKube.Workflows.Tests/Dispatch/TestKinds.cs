using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Dispatch;

/// <summary>The core kinds and two of other groups, for routing by an owner's apiVersion and kind.</summary>
internal static class TestKinds
{
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, typeof(V1ReplicaSet), typeof(V1ReplicaSetList), ["rs"]);

    public static readonly ResourceType Jobs = new("batch", "v1", "jobs", "job", "Job", true, typeof(V1Job), typeof(V1JobList), []);

    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, typeof(V1StatefulSet), typeof(V1StatefulSetList), ["sts"]);

    public static KindRegistry Registry() =>
        new([.. CoreKinds.All, new KindDescriptor(new ObjectStrategy(ReplicaSets)), new KindDescriptor(new ObjectStrategy(Jobs))]);
}
