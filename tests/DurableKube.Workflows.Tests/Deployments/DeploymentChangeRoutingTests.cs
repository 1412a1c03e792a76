using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Reconcile;
using DurableKube.Workflows.ReplicaSets;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests.Deployments;

/// <summary>Which changes reach the Deployment controller: its ReplicaSets' status writes must, its own must not.</summary>
public class DeploymentChangeRoutingTests
{
    private static readonly ChangeRouter Router = new(BuiltInKinds.Registry(), [Handler(ReplicaSetController.Definition), Handler(DeploymentController.Definition)]);

    private static ControllerChangeHandler Handler(ControllerDefinition definition) =>
        new(definition, new InMemoryObjectStore(), new FixedOptions<ReconcileOptions>(new ReconcileOptions()), NullLogger<ControllerChangeHandler>.Instance);

    private static V1ReplicaSet ReplicaSet(int ready) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta
        {
            Name = "web-5d59d67564",
            NamespaceProperty = "default",
            Uid = "rs-uid",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web", Uid = "deploy-uid", Controller = true }],
        },
        Spec = new V1ReplicaSetSpec { Replicas = 2 },
        Status = new V1ReplicaSetStatus { Replicas = 2, ReadyReplicas = ready },
    };

    private static V1Deployment Deployment(int updated) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "deploy-uid" },
        Spec = new V1DeploymentSpec { Replicas = 2 },
        Status = new V1DeploymentStatus { UpdatedReplicas = updated },
    };

    private static IReadOnlyList<string> Targets(ObjectChange change) =>
        [.. Router.Targets(change).Cast<ControllerChangeHandler>().Select(h => h.Kind!.Kind)];

    [Fact]
    public void A_ReplicaSets_status_write_wakes_its_Deployment_and_not_itself()
    {
        var change = ObjectChange.Of(ResourceTypes.ReplicaSets, ObjectChangeType.Modified, ReplicaSet(ready: 1), ReplicaSet(ready: 2), "status");

        Assert.Equal(["Deployment"], Targets(change));
    }

    [Fact]
    public void A_Deployments_scaling_of_its_ReplicaSet_wakes_the_ReplicaSet_and_the_Deployment()
    {
        var scaled = ReplicaSet(ready: 2);
        scaled.Spec.Replicas = 3;

        var change = ObjectChange.Of(ResourceTypes.ReplicaSets, ObjectChangeType.Modified, ReplicaSet(ready: 2), scaled);

        Assert.Equal(["ReplicaSet", "Deployment"], Targets(change));
    }

    [Fact]
    public void A_Deployments_own_status_write_wakes_nothing_but_a_spec_change_wakes_it()
    {
        Assert.Empty(Targets(ObjectChange.Of(ResourceTypes.Deployments, ObjectChangeType.Modified, Deployment(1), Deployment(2), "status")));

        var changed = Deployment(1);
        changed.Spec.Replicas = 3;
        Assert.Equal(["Deployment"], Targets(ObjectChange.Of(ResourceTypes.Deployments, ObjectChangeType.Modified, Deployment(1), changed)));
    }
}
