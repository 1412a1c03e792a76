using DurableKube.Domain.Printing;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>The kinds of the <c>apps</c> API group this server serves.</summary>
public static class AppsKinds
{
    /// <summary>Gets ReplicaSets: a reconcile workflow each keeps its number of pods (pkg/registry/apps/replicaset).</summary>
    public static KindDescriptor ReplicaSets { get; } = new(new ReplicaSetStrategy())
    {
        Categories = ["all"],
        Printer = TablePrinter.For<V1ReplicaSet>(ReplicaSetPrinter.Columns, ReplicaSetPrinter.Cells),
        Subresources = [Subresource.Status, Subresource.Scale],
        Scale = ScaleDescriptor.For<V1ReplicaSet>(
            rs => rs.Spec?.Replicas ?? 1,
            (rs, n) => (rs.Spec ??= new V1ReplicaSetSpec()).Replicas = n,
            rs => rs.Status?.Replicas ?? 0,
            rs => rs.Spec?.Selector),
    };

    /// <summary>Gets Deployments: a reconcile workflow each rolls its pods from one template to the next through ReplicaSets (pkg/registry/apps/deployment).</summary>
    public static KindDescriptor Deployments { get; } = new(new DeploymentStrategy())
    {
        Categories = ["all"],
        Printer = TablePrinter.For<V1Deployment>(DeploymentPrinter.Columns, DeploymentPrinter.Cells),
        Subresources = [Subresource.Status, Subresource.Scale],
        Scale = ScaleDescriptor.For<V1Deployment>(
            d => d.Spec?.Replicas ?? 1,
            (d, n) => (d.Spec ??= new V1DeploymentSpec()).Replicas = n,
            d => d.Status?.Replicas ?? 0,
            d => d.Spec?.Selector),
    };

    /// <summary>Gets StatefulSets: a reconcile workflow each keeps pods with stable names, in order (pkg/registry/apps/statefulset).</summary>
    public static KindDescriptor StatefulSets { get; } = new(new StatefulSetStrategy())
    {
        Categories = ["all"],
        Printer = TablePrinter.For<V1StatefulSet>(StatefulSetPrinter.Columns, StatefulSetPrinter.Cells),
        Subresources = [Subresource.Status, Subresource.Scale],
        Scale = ScaleDescriptor.For<V1StatefulSet>(
            sts => sts.Spec?.Replicas ?? 1,
            (sts, n) => (sts.Spec ??= new V1StatefulSetSpec()).Replicas = n,
            sts => sts.Status?.Replicas ?? 0,
            sts => sts.Spec?.Selector),
    };

    /// <summary>Gets ControllerRevisions: a StatefulSet's template history (pkg/registry/apps/controllerrevision).</summary>
    public static KindDescriptor ControllerRevisions { get; } = new(new ControllerRevisionStrategy())
    {
        Printer = TablePrinter.For<V1ControllerRevision>(ControllerRevisionPrinter.Columns, ControllerRevisionPrinter.Cells),
        CollectsDependents = false,
    };

    /// <summary>Gets every apps kind.</summary>
    public static IReadOnlyList<KindDescriptor> All { get; } = [ReplicaSets, Deployments, StatefulSets, ControllerRevisions];
}
