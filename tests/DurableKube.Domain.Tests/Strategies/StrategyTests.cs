using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Strategies;

public class StrategyTests
{
    [Fact]
    public void A_new_pod_gets_pending_status_qos_and_generation_one()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "a" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "x" }] }, Status = new V1PodStatus { Phase = "Running" } };
        var strategy = CoreKinds.Pods.Strategy;

        strategy.Default(pod);
        strategy.PrepareForCreate(pod);

        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("BestEffort", pod.Status.QosClass);
        Assert.Equal(1, pod.Metadata.Generation);
    }

    [Fact]
    public void An_update_keeps_status_and_counts_spec_changes()
    {
        var strategy = CoreKinds.Pods.Strategy;
        var old = new V1Pod { Metadata = new V1ObjectMeta { Name = "a", Generation = 1 }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "x" }] }, Status = new V1PodStatus { Phase = "Running" } };
        var updated = KubeJson.Clone(old);
        updated.Status.Phase = "Failed";
        updated.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };

        strategy.PrepareForUpdate(updated, old);
        Assert.Equal("Running", updated.Status.Phase);
        Assert.Equal(1, updated.Metadata.Generation);

        updated.Spec.Containers[0].Image = "y";
        strategy.PrepareForUpdate(updated, old);
        Assert.Equal(2, updated.Metadata.Generation);
    }

    [Fact]
    public void A_status_update_changes_only_status()
    {
        var strategy = CoreKinds.Pods.Strategy;
        var old = new V1Pod { Metadata = new V1ObjectMeta { Name = "a", ResourceVersion = "5" }, Spec = new V1PodSpec { NodeName = "n1" }, Status = new V1PodStatus { Phase = "Pending" } };
        var sent = new V1Pod { Metadata = new V1ObjectMeta { Name = "a", ResourceVersion = "5", Labels = new Dictionary<string, string> { ["x"] = "y" } }, Spec = new V1PodSpec { NodeName = "n2" }, Status = new V1PodStatus { Phase = "Running" } };

        var result = (V1Pod)strategy.PrepareForStatusUpdate(sent, old);

        Assert.Equal("Running", result.Status.Phase);
        Assert.Equal("n1", result.Spec.NodeName);
        Assert.Null(result.Metadata.Labels);
    }

    [Fact]
    public void A_pod_may_not_leave_a_terminal_phase()
    {
        var strategy = CoreKinds.Pods.Strategy;
        var old = new V1Pod { Metadata = new V1ObjectMeta { Name = "a" }, Status = new V1PodStatus { Phase = "Succeeded" } };
        var updated = new V1Pod { Metadata = new V1ObjectMeta { Name = "a" }, Status = new V1PodStatus { Phase = "Running" } };

        Assert.Single(strategy.ValidateStatusUpdate(updated, old));
    }

    [Fact]
    public void A_namespace_gets_its_name_label_finalizer_and_active_phase()
    {
        var strategy = CoreKinds.Namespaces.Strategy;
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } };

        strategy.Default(ns);
        strategy.PrepareForCreate(ns);

        Assert.Equal("team", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        Assert.Equal("Active", ns.Status.Phase);
        Assert.Null(ns.Metadata.Generation);
        Assert.Equal(
            ["metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
            strategy.Validate(new V1Namespace { Metadata = new V1ObjectMeta { Name = "a.b" } }).Select(e => e.ToString()));
    }

    [Fact]
    public void A_node_keeps_the_status_its_agent_registers()
    {
        var strategy = CoreKinds.Nodes.Strategy;
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "n" }, Status = new V1NodeStatus { Phase = "Running" } };

        strategy.PrepareForCreate(node);

        Assert.Equal("Running", node.Status.Phase);
    }
}
