using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Events;

/// <summary>The kubelet's events for a sync's outcomes and for the status it wrote, in its words.</summary>
public sealed class KubeletEventsTests
{
    private static V1Pod Pod(string? waiting = null, string? message = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "u-1" },
        Spec = new V1PodSpec
        {
            InitContainers = [new V1Container { Name = "init", Image = "busybox:1.36" }],
            Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }],
        },
        Status = new V1PodStatus
        {
            ContainerStatuses = waiting is null ? null :
                [new V1ContainerStatus { Name = "app", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting, Message = message } } }],
        },
    };

    public static TheoryData<KubeletOutcome, string[]> Outcomes => new()
    {
        {
            new ContainerStarted("app", new ContainerRun(1, DateTimeOffset.UnixEpoch, null, null, null, null)),
            ["spec.containers{app} Normal Pulled Container image \"nginx:1.27\" already present on machine",
             "spec.containers{app} Normal Created Created container: app",
             "spec.containers{app} Normal Started Started container app"]
        },
        {
            new ContainerStarted("init", new ContainerRun(1, DateTimeOffset.UnixEpoch, null, null, null, null)),
            ["spec.initContainers{init} Normal Pulled Container image \"busybox:1.36\" already present on machine",
             "spec.initContainers{init} Normal Created Created container: init",
             "spec.initContainers{init} Normal Started Started container init"]
        },
        {
            new ContainerNotCreated("app", ContainerCreateError.Config("configmap \"settings\" not found")),
            ["spec.containers{app} Warning Failed Error: configmap \"settings\" not found"]
        },
        { new StopSent("app", 1, StopSignal.Terminate), ["spec.containers{app} Normal Killing Stopping container app"] },
        { new StopSent("app", 1, StopSignal.Kill), [] },
        {
            new SandboxPending(new SandboxWait(PodLifecycle.FailedMountReason, "MountVolume.SetUp failed for volume \"cfg\" : configmap \"cfg\" not found", [], DateTimeOffset.UnixEpoch)),
            [" Warning FailedMount MountVolume.SetUp failed for volume \"cfg\" : configmap \"cfg\" not found"]
        },
        {
            new SandboxPending(new SandboxWait(PodLifecycle.NoRuntimeReason, "node \"gone\" has no container runtime in this control plane", [], DateTimeOffset.UnixEpoch)),
            [" Warning NodeHasNoRuntime node \"gone\" has no container runtime in this control plane"]
        },
        { new SandboxRestarted(2, DateTimeOffset.UnixEpoch), [" Normal SandboxChanged Pod sandbox changed, it will be killed and re-created."] },
        { new PodBound("node-1"), [] },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Each_outcome_records_what_the_kubelet_records(KubeletOutcome outcome, string[] expected)
    {
        var events = KubeletEvents.ForOutcomes(Pod(), [new StopContainer("app", 1, StopSignal.Terminate)], [outcome]);

        Assert.Equal(expected, events.Select(e => $"{e.FieldPath} {e.Type} {e.Reason} {e.Message}"));
    }

    [Fact]
    public void A_probe_kill_says_why()
    {
        var events = KubeletEvents.ForOutcomes(
            Pod(), [new StopContainer("app", 1, StopSignal.Terminate, "Container app failed liveness probe, will be restarted")], [new StopSent("app", 1, StopSignal.Terminate)]);

        Assert.Equal("Container app failed liveness probe, will be restarted", Assert.Single(events).Message);
    }

    [Theory]
    [InlineData("CrashLoopBackOff", null, "Warning BackOff Back-off restarting failed container app in pod web_default(u-1)")]
    [InlineData("ImagePullBackOff", null, "Normal BackOff Back-off pulling image \"nginx:1.27\"|Warning Failed Error: ImagePullBackOff")]
    [InlineData("ErrImagePull", "not found", "Warning Failed Failed to pull image \"nginx:1.27\": not found|Warning Failed Error: ErrImagePull")]
    [InlineData("ContainerCreating", null, "")]
    public void A_status_in_back_off_records_BackOff(string waiting, string? message, string expected)
    {
        var events = KubeletEvents.ForStatus(Pod(waiting, message));

        Assert.Equal(expected, string.Join("|", events.Select(e => $"{e.Type} {e.Reason} {e.Message}")));
    }
}
