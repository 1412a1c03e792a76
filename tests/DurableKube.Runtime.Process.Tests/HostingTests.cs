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
    public async Task The_hosts_shutdown_token_cuts_the_grace_period_short()
    {
        await using var root = new TestRoot();
        using var host = BuildHost(root.Path, new() { ["Runtime:Process:ShutdownGracePeriod"] = "00:05:00" });
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IContainerRuntime>();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var stubborn = TestRoot.Launch("p1", "stubborn", 0, "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done");
        await runtime.StartContainerAsync(stubborn);
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, stubborn.Id)).Count > 0);
        var pid = root.ContainerPid(stubborn.Id);
        using var expired = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var stopping = System.Diagnostics.Stopwatch.StartNew();

        await host.StopAsync(expired.Token);

        Assert.True(stopping.Elapsed < TimeSpan.FromMinutes(2), "the five-minute grace period must not be waited out");
        await TestRoot.EventuallyAsync(() => TestRoot.GroupMembers(pid).Count == 0);
    }

    [Fact]
    public async Task A_service_provider_disposed_synchronously_detaches_the_runtime()
    {
        await using var root = new TestRoot();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:Process:Root"] = root.Path })
            .Build();
        var provider = new ServiceCollection().AddLogging().AddProcessContainerRuntime(configuration).BuildServiceProvider();
        var runtime = provider.GetRequiredService<IContainerRuntime>();
        await TestRoot.CreatePodAsync(runtime, "p1");
        await runtime.StartContainerAsync(TestRoot.Launch("p1", "app", 0, "sleep", "300"));
        var pid = root.ContainerPid(new ContainerRunId("p1", "app", 0));

        provider.Dispose();

        Assert.True(TestRoot.IsAlive(pid));
        await using var next = root.CreateRuntime();
        Assert.Equal(ContainerRunState.Running, Assert.Single(await next.ListContainersAsync()).State);
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
