using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>An ephemeral container added through its subresource reaches the running pod's kubelet, which starts it once.</summary>
public sealed class EphemeralContainerOrchestratorTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task An_ephemeral_container_is_started_into_the_running_pod_and_not_restarted_when_it_exits()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        var pod = await _harness.CreatePodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "3600"] }] },
        });
        await _harness.WaitForPodAsync("web", p => p.Status?.Phase == "Running");

        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"), obj =>
        {
            ((V1Pod)obj).Spec.EphemeralContainers = [new V1EphemeralContainer { Name = "debugger", Image = "busybox", Command = ["sh", "-c", "echo hi"], TargetContainerName = "app" }];
            return obj;
        }, new UpdateOptions(Subresource.EphemeralContainers.Name));

        var running = await _harness.WaitForPodAsync("web", p => p.Status?.EphemeralContainerStatuses?.SingleOrDefault()?.State.Running is not null);
        var launch = _harness.Runtime.Launches.Single(l => l.Id.ContainerName == "debugger");
        Assert.Equal(ContainerKind.Ephemeral, launch.Kind);
        Assert.Equal(["sh", "-c", "echo hi"], launch.Command);
        Assert.False(running.Status.EphemeralContainerStatuses.Single().Ready);

        Assert.True(_harness.Runtime.Exit(new ContainerRunId(pod.Metadata.Uid, "debugger", 0), 0));
        var exited = await _harness.WaitForPodAsync("web", p => p.Status?.EphemeralContainerStatuses?.Single().State.Terminated is not null);

        Assert.Equal("Running", exited.Status.Phase);
        Assert.Equal(0, exited.Status.EphemeralContainerStatuses.Single().RestartCount);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_harness.Runtime.Launches, l => l.Id.ContainerName == "debugger");
    }
}
