using DurableKube.Ports.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DurableKube.Runtime.Process.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task A_clean_host_stop_leaves_no_process_running()
    {
        await using var root = new TestRoot();
        using var host = BuildHost(root.Path, new() { ["Runtime:Process:ShutdownGracePeriod"] = "00:00:01" });
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IContainerRuntime>();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var polite = TestRoot.Launch("p1", "polite", 0, "sh", "-c", "sleep 300 & wait");
        var stubborn = TestRoot.Launch("p1", "stubborn", 0, "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done");
        await runtime.StartContainerAsync(polite);
        await runtime.StartContainerAsync(stubborn);
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, stubborn.Id)).Count > 0);
        var pids = new[] { root.ContainerPid(polite.Id), root.ContainerPid(stubborn.Id) };
        var shims = new[] { root.ShimPid(polite.Id), root.ShimPid(stubborn.Id) };

        await host.StopAsync();

        Assert.All(pids, pid => Assert.Empty(TestRoot.GroupMembers(pid)));
        Assert.All(shims, shim => Assert.False(TestRoot.IsAlive(shim)));
        await using var after = root.CreateRuntime();
        var runs = (await after.ListContainersAsync()).ToDictionary(r => r.Id.ContainerName);
        Assert.Equal(143, runs["polite"].ExitCode);
        Assert.Equal(137, runs["stubborn"].ExitCode);
    }

    [Fact]
    public async Task The_runtime_is_registered_once_and_reports_its_name()
    {
        await using var root = new TestRoot();
        using var host = BuildHost(root.Path, []);
        await host.StartAsync();

        var runtime = host.Services.GetRequiredService<IContainerRuntime>();

        Assert.Same(host.Services.GetRequiredService<ProcessContainerRuntime>(), runtime);
        Assert.Equal("process", runtime.Name);
        Assert.Equal(root.Path, ((ProcessContainerRuntime)runtime).Root);
        await host.StopAsync();
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_from_starting()
    {
        await using var root = new TestRoot();
        using var host = BuildHost(root.Path, new() { ["Runtime:Process:ExitPollInterval"] = "00:00:00" });

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    private static IHost BuildHost(string rootPath, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        settings["Runtime:Process:Root"] = rootPath;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddProcessContainerRuntime(builder.Configuration);
        return builder.Build();
    }
}
