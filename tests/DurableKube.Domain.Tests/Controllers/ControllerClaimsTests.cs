using DurableKube.Domain.Controllers;
using DurableKube.Domain.Selectors;
using k8s.Models;
using static DurableKube.Domain.Tests.ReplicaSets.ReplicaSetPods;

namespace DurableKube.Domain.Tests.Controllers;

/// <summary>Claiming, as controller_ref_manager.go's <c>ClaimObject</c> decides it for one object.</summary>
public sealed class ControllerClaimsTests
{
    private static readonly LabelSelector Frontend = LabelSelector.FromLabelSelector(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "frontend" } });

    [Theory]
    // owner            matches deleting-pod controller-deleting  action
    [InlineData(Uid, true, false, false, ClaimAction.Keep)]
    [InlineData(Uid, true, false, true, ClaimAction.Keep)]
    [InlineData(Uid, true, true, false, ClaimAction.Keep)]
    [InlineData(Uid, false, false, false, ClaimAction.Release)]
    [InlineData(Uid, false, true, false, ClaimAction.Release)]
    [InlineData(Uid, false, false, true, ClaimAction.Ignore)]
    [InlineData("other-uid", true, false, false, ClaimAction.Ignore)]
    [InlineData("other-uid", false, false, false, ClaimAction.Ignore)]
    [InlineData(null, true, false, false, ClaimAction.Adopt)]
    [InlineData(null, true, false, true, ClaimAction.Ignore)]
    [InlineData(null, true, true, false, ClaimAction.Ignore)]
    [InlineData(null, false, false, false, ClaimAction.Ignore)]
    public void Claim_follows_the_controller_ref_manager(string? owner, bool matches, bool podDeleting, bool controllerDeleting, ClaimAction expected)
    {
        var pod = Pod("p", owner: owner, deleting: podDeleting, labels: new Dictionary<string, string> { ["tier"] = matches ? "frontend" : "backend" });

        Assert.Equal(expected, ControllerClaims.Claim(pod, Uid, controllerDeleting, Frontend));
    }

    [Fact]
    public void An_owner_reference_that_is_not_a_controller_leaves_the_pod_an_orphan_to_adopt()
    {
        var pod = Pod("p", owner: null);
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "cm", Uid = "cm-uid" }];

        Assert.Equal(ClaimAction.Adopt, ControllerClaims.Claim(pod, Uid, controllerDeleting: false, Frontend));
    }

    [Fact]
    public void A_pod_without_labels_matches_no_selector()
    {
        var pod = Pod("p", owner: null);
        pod.Metadata.Labels = null;

        Assert.Equal(ClaimAction.Ignore, ControllerClaims.Claim(pod, Uid, controllerDeleting: false, Frontend));
    }
}
