using DurableKube.Domain.Controllers;
using k8s.Models;
using static DurableKube.Domain.Tests.ReplicaSets.ReplicaSetPods;

namespace DurableKube.Domain.Tests.Controllers;

/// <summary>
/// Which pod a controller deletes first, rule by rule, as controller_utils.go's <c>ActivePodsWithRanks.Less</c>
/// orders them with LogarithmicScaleDown (on by default since Kubernetes 1.22): each case differs from the
/// pod it is compared with by one rule, and every earlier rule ties.
/// </summary>
public sealed class PodDeletionOrderTests
{
    private static V1Pod WithSidecar(V1Pod pod, int restarts)
    {
        pod.Spec.InitContainers = [new V1Container { Name = "log-shipper", Image = "busybox", RestartPolicy = "Always" }];
        pod.Status.InitContainerStatuses = [new V1ContainerStatus { Name = "log-shipper", RestartCount = restarts }];
        return pod;
    }

    public static TheoryData<string, V1Pod, V1Pod> Rules => new()
    {
        { "unscheduled before scheduled, whatever its phase", Pod("first", node: null, phase: "Running"), Pod("second", phase: "Pending", ready: false) },
        { "Pending before Unknown", Pod("first", phase: "Pending", ready: false), Pod("second", phase: "Unknown", ready: false) },
        { "Unknown before Running", Pod("first", phase: "Unknown", ready: false), Pod("second", phase: "Running", ready: false) },
        { "not ready before ready", Pod("first", ready: false, createdAgo: 99999), Pod("second", ready: true, createdAgo: 1) },
        { "lower pod-deletion-cost before higher", Pod("first", cost: "-5"), Pod("second", cost: "10") },
        { "no cost counts as 0", Pod("first"), Pod("second", cost: "1") },
        { "ready for less time first", Pod("first", readyAgo: 60), Pod("second", readyAgo: 600) },
        { "a Ready condition without a time first", Pod("first", readyTime: false), Pod("second", readyAgo: 60) },
        { "more restarts first", Pod("first", restarts: 3), Pod("second", restarts: 1) },
        { "more sidecar restarts first when the containers tie", WithSidecar(Pod("first"), 4), WithSidecar(Pod("second"), 0) },
        { "newer first", Pod("first", createdAgo: 60), Pod("second", createdAgo: 600) },
        { "by uid within the same power of two of age", Pod("a-first", createdAgo: 100), Pod("b-second", createdAgo: 101) },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_pod_goes_first_by_the_first_rule_that_tells_them_apart(string rule, V1Pod first, V1Pod second)
    {
        Assert.NotNull(rule);

        Assert.Same(first, PodDeletionOrder.Order([second, first], [first, second], T0)[0]);
        Assert.Same(first, PodDeletionOrder.Order([first, second], [first, second], T0)[0]);
    }

    [Fact]
    public void Readiness_time_counts_in_powers_of_two_so_pods_ready_at_nearly_the_same_time_fall_to_restarts()
    {
        // 1000 s and 600 s ago are both within [2^39, 2^40) ns: the same rank, so restarts decide.
        var steady = Pod("steady", readyAgo: 600);
        var restarting = Pod("restarting", readyAgo: 1000, restarts: 2);

        Assert.Equal(["restarting", "steady"], PodDeletionOrder.Order([steady, restarting], [steady, restarting], T0).Select(p => p.Metadata.Name));
    }

    [Fact]
    public void A_pod_doubled_up_with_more_of_the_sets_pods_on_its_node_goes_first()
    {
        var alone = Pod("alone", node: "a");
        var crowded = Pod("crowded", node: "b");
        var neighbour = Pod("neighbour", node: "b", createdAgo: 1);

        var order = PodDeletionOrder.Order([alone, crowded], [alone, crowded, neighbour], T0);

        Assert.Equal(["crowded", "alone"], order.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Pods_being_deleted_do_not_crowd_a_node()
    {
        var alone = Pod("alone", node: "a", createdAgo: 1);
        var other = Pod("other", node: "b", createdAgo: 600);
        var leaving = Pod("leaving", node: "b", deleting: true);

        // Without the terminating neighbour both nodes hold one pod: the newer goes first.
        Assert.Equal("alone", PodDeletionOrder.Order([alone, other], [alone, other, leaving], T0)[0].Metadata.Name);
    }

    [Fact]
    public void The_deletion_cost_outranks_doubling_up_readiness_time_restarts_and_age()
    {
        var precious = Pod("precious", node: "crowded", readyAgo: 1, restarts: 9, createdAgo: 1, cost: "100");
        var plain = Pod("plain", node: "quiet");

        Assert.Equal("plain", PodDeletionOrder.Order([precious, plain], [precious, plain, Pod("x", node: "crowded")], T0)[0].Metadata.Name);
    }
}
