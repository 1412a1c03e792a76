using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.CronJobs;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.GarbageCollection;
using DurableKube.Workflows.Jobs;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.StatefulSets;

namespace DurableKube.Workflows.Tests.Hosting;

/// <summary>The instance ids the API reads (<see cref="WorkflowInstanceNames"/>) are the ones the workflows start.</summary>
public sealed class WorkflowInstanceNamesTests
{
    public static TheoryData<string, string> Started => new()
    {
        { "pods", PodIdentity.WorkflowInstanceIdFor("u1") },
        { "replicasets.apps", ReplicaSetController.Definition.InstanceIdFor("u1") },
        { "deployments.apps", DeploymentController.Definition.InstanceIdFor("u1") },
        { "statefulsets.apps", StatefulSetController.Definition.InstanceIdFor("u1") },
        { "jobs.batch", JobController.Definition.InstanceIdFor("u1") },
        { "cronjobs.batch", CronJobController.Definition.InstanceIdFor("u1") },
        { "services", EndpointsController.Definition.InstanceIdFor("u1") },
        { "nodes", NodeLifecycleController.Definition.InstanceIdFor("u1") },
        { "namespaces", new NamespaceRef("n", "u1").WorkflowInstanceId },
    };

    [Theory]
    [MemberData(nameof(Started))]
    public void The_api_names_the_instance_the_workflows_start(string groupResource, string started)
    {
        Assert.Equal(started, WorkflowInstanceNames.For(groupResource, "u1"));
    }

    [Fact]
    public void Every_prefix_is_covered_and_the_collector_agrees()
    {
        Assert.Equal(Started.Count, WorkflowInstanceNames.Prefixes.Count);
        Assert.Equal(WorkflowInstanceNames.GarbageCollectionPrefix + "u1", new OwnerRef("v1", "Pod", "default", "p", "u1").WorkflowInstanceId);
        Assert.Null(WorkflowInstanceNames.For("configmaps", "u1"));
    }
}
