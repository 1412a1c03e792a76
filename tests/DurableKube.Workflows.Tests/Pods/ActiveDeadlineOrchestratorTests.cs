using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

public sealed class ActiveDeadlineOrchestratorTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Pod Pod(string name, long? deadline) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            ActiveDeadlineSeconds = deadline,
            // The fake container exits at SIGTERM; a grace period this long keeps a loaded machine from reaching the SIGKILL.
            TerminationGracePeriodSeconds = 30,
            Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sleep", "3600"] }],
        },
    };

    [Fact]
    public async Task A_pod_running_past_its_activeDeadlineSeconds_is_stopped_and_fails_with_DeadlineExceeded()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        await _harness.CreatePodAsync(Pod("slow", 1));

        var pod = await _harness.WaitForPodAsync("slow", p => p.Status?.Phase == "Failed" && p.Status.ContainerStatuses?.Single().State.Terminated is not null);

        Assert.Equal(("DeadlineExceeded", "Pod was active on the node longer than the specified deadline"), (pod.Status.Reason, pod.Status.Message));
        Assert.Equal(143, pod.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Single(_harness.Runtime.Launches);
    }

    [Fact]
    public async Task Lowering_activeDeadlineSeconds_by_an_update_reaches_the_running_kubelet()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        await _harness.CreatePodAsync(Pod("lowered", 3600));
        await _harness.WaitForPodAsync("lowered", p => p.Status?.Phase == "Running");

        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Pods, "default", "lowered"), obj =>
        {
            ((V1Pod)obj).Spec.ActiveDeadlineSeconds = 1;
            return obj;
        }, new UpdateOptions());

        var pod = await _harness.WaitForPodAsync("lowered", p => p.Status?.Phase == "Failed", TimeSpan.FromSeconds(15));
        Assert.Equal("DeadlineExceeded", pod.Status.Reason);
    }
}
