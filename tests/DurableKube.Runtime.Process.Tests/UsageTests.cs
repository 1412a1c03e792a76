using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Tests;

public sealed class UsageTests
{
    [Fact]
    public async Task A_running_containers_process_tree_and_the_node_have_figures_and_exited_runs_have_none()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");

        // The loop runs in a child of the container's shell: the figures are the whole process group's.
        var busy = TestRoot.Launch("p1", "busy", 0, "sh", "-c", "sh -c 'while :; do :; done' & wait");
        var done = TestRoot.Launch("p1", "done", 0, "sh", "-c", "exit 0");
        await runtime.StartContainerAsync(busy);
        await runtime.StartContainerAsync(done);
        await TestRoot.WaitForExitAsync(runtime, done.Id);

        NodeUsage? usage = null;
        await TestRoot.EventuallyAsync(async () =>
        {
            usage = await runtime.GetUsageAsync();
            return usage?.Pods.SingleOrDefault()?.Containers.SingleOrDefault() is { Usage.CpuNanoCores: > 0 };
        });

        var pod = Assert.Single(usage!.Pods);
        Assert.Equal("p1", pod.PodUid);
        var container = Assert.Single(pod.Containers);
        Assert.Equal("busy", container.Name);
        Assert.True(container.Usage.MemoryWorkingSetBytes > 0);
        Assert.True(container.Usage.Window >= UsageSampler.DefaultMinWindow);
        Assert.NotNull(usage.Node);
        Assert.True(usage.Node.Value.CpuNanoCores > 0 && usage.Node.Value.MemoryWorkingSetBytes > 0);

        await runtime.StopContainerAsync(busy.Id, StopMode.Kill);
        await TestRoot.WaitForExitAsync(runtime, busy.Id);
        Assert.Empty((await runtime.GetUsageAsync())!.Pods);
    }
}
