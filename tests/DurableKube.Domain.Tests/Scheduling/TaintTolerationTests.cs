using DurableKube.Domain.Scheduling;
using k8s.Models;
using static DurableKube.Domain.Tests.Scheduling.SchedulingObjects;

namespace DurableKube.Domain.Tests.Scheduling;

public class TaintTolerationTests
{
    [Theory]
    [InlineData("gpu", "Equal", "yes", "NoSchedule", true)]
    [InlineData("gpu", null, "yes", "NoSchedule", true)]
    [InlineData("gpu", "Equal", "no", "NoSchedule", false)]
    [InlineData("gpu", "Exists", null, "NoSchedule", true)]
    [InlineData("gpu", "Exists", null, "", true)]
    [InlineData("gpu", "Exists", null, "NoExecute", false)]
    [InlineData("other", "Exists", null, "", false)]
    // An empty key with Exists tolerates every taint.
    [InlineData("", "Exists", null, "", true)]
    [InlineData("", "Exists", null, "NoSchedule", true)]
    [InlineData("", "Exists", null, "PreferNoSchedule", false)]
    public void A_toleration_tolerates_a_taint_as_core_v1_says(string key, string? op, string? value, string effect, bool tolerates)
    {
        var toleration = new V1Toleration { Key = key, OperatorProperty = op, Value = value, Effect = effect };

        Assert.Equal(tolerates, TaintToleration.Tolerates(toleration, Taint("gpu", "yes", "NoSchedule")));
    }

    [Theory]
    [InlineData("NoSchedule", null, "node(s) had untolerated taint {dedicated: gpu}")]
    [InlineData("NoExecute", null, "node(s) had untolerated taint {dedicated: gpu}")]
    [InlineData("PreferNoSchedule", null, null)]
    [InlineData("NoExecute", "NoExecute", null)]
    [InlineData("NoSchedule", "NoExecute", "node(s) had untolerated taint {dedicated: gpu}")]
    public void NoSchedule_and_NoExecute_taints_need_a_toleration(string effect, string? tolerated, string? reason)
    {
        var pod = Pod();
        if (tolerated is not null)
        {
            pod.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists", Effect = tolerated }];
        }

        var status = TaintToleration.Filter(pod, Node("n", taints: [Taint("dedicated", "gpu", effect)]));

        Assert.Equal(reason, status?.Reasons.Single());
    }

    [Theory]
    [InlineData("False", "node(s) had untolerated taint {node.kubernetes.io/not-ready: }")]
    [InlineData(null, "node(s) had untolerated taint {node.kubernetes.io/not-ready: }")]
    [InlineData("Unknown", "node(s) had untolerated taint {node.kubernetes.io/unreachable: }")]
    [InlineData("True", null)]
    public void A_node_that_is_not_Ready_carries_the_condition_taint(string? ready, string? reason)
    {
        // Every pod carries the default not-ready/unreachable tolerations, but for NoExecute only: they keep a running
        // pod on a node that goes not ready for 300 s, and do not let a new pod onto it.
        var pod = Pod();
        pod.Spec.Tolerations =
        [
            new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
            new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
        ];

        Assert.Equal(reason, TaintToleration.Filter(pod, Node("n", ready: ready))?.Reasons.Single());
    }

    [Fact]
    public void A_pod_that_tolerates_not_ready_may_go_to_a_node_that_is_not_ready()
    {
        var pod = Pod();
        pod.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoSchedule" }];

        Assert.Null(TaintToleration.Filter(pod, Node("n", ready: "False")));
    }

    [Fact]
    public void The_first_untolerated_taint_is_named_and_a_condition_taint_the_node_has_is_not_doubled()
    {
        var node = Node("n", ready: "False", taints: [Taint("node.kubernetes.io/not-ready", null, "NoSchedule"), Taint("b", "2", "NoSchedule")]);

        Assert.Equal(2, TaintToleration.EffectiveTaints(node).Count);
        Assert.Equal("node(s) had untolerated taint {node.kubernetes.io/not-ready: }", TaintToleration.Filter(Pod(), node)!.Reasons.Single());
    }
}
