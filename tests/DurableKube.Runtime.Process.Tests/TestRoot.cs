using System.Diagnostics;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Processes;
using DurableKube.Runtime.Process.State;
using DurableKube.Testing.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurableKube.Runtime.Process.Tests;

/// <summary>
/// A temporary state directory for one test, the runtimes made on it, and the clean-up: every shim and
/// container process started under it is killed by pid, even when the test failed.
/// </summary>
internal sealed class TestRoot : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<ProcessContainerRuntime> _runtimes = [];
    private readonly List<System.Diagnostics.Process> _helpers = [];

    public TestRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "durablekube-runtime-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public ProcessContainerRuntime CreateRuntime(TimeSpan? shutdownGrace = null, string? podCidr = null, bool mountNamespaces = true)
    {
        var options = new ProcessRuntimeOptions
        {
            Root = Path,
            ExitPollInterval = TimeSpan.FromMilliseconds(50),
            ShutdownGracePeriod = shutdownGrace ?? TimeSpan.FromSeconds(10),
            PodCidr = podCidr ?? ProcessRuntimeOptions.DefaultPodCidr,
            MountNamespaces = mountNamespaces,
        };
        var runtime = new ProcessContainerRuntime(Options.Create(options), TimeProvider.System, NullLogger<ProcessContainerRuntime>.Instance);
        _runtimes.Add(runtime);
        return runtime;
    }

    public static ContainerLaunch Launch(string podUid, string container, int attempt, params string[] command) =>
        new(new ContainerRunId(podUid, container, attempt), "default", $"pod-{podUid}", "busybox", command, [], null);

    public static async Task CreatePodAsync(IContainerRuntime runtime, string podUid) =>
        await runtime.CreateSandboxAsync(new SandboxSpec(podUid, "default", $"pod-{podUid}", "node-1"));

    public RunPaths Run(ContainerRunId id) => new StateLayout(Path).Run(id);

    /// <summary>Starts a process that belongs to no run (a bystander a stale pid could point at).</summary>
    public System.Diagnostics.Process StartBystander()
    {
        var process = System.Diagnostics.Process.Start(new ProcessStartInfo("sleep", ["300"]) { UseShellExecute = false })!;
        _helpers.Add(process);
        return process;
    }

    public static Task<ContainerRunStatus> WaitForExitAsync(IContainerRuntime runtime, ContainerRunId id) =>
        RuntimeWait.ForExitAsync(runtime, id, Patience, TimeSpan.FromMilliseconds(50));

    public static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        RuntimeWait.UntilAsync(condition, timeout ?? Patience, TimeSpan.FromMilliseconds(50));

    public static Task EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout);

    public static async Task<List<LogLine>> ReadLogAsync(IContainerRuntime runtime, ContainerRunId id, LogReadOptions? options = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var lines = new List<LogLine>();
        await foreach (var line in runtime.ReadLogAsync(id, options ?? new LogReadOptions(), timeout.Token))
        {
            lines.Add(line);
        }

        return lines;
    }

    public int ContainerPid(ContainerRunId id) => RunFiles.ReadPid(Run(id).Pid) ?? throw new InvalidOperationException($"No pid for {id}.");

    public int ShimPid(ContainerRunId id) => RunFiles.ReadPid(Run(id).ShimPid) ?? throw new InvalidOperationException($"No shim pid for {id}.");

    /// <summary>Lists the live processes in a container's process group or session.</summary>
    public static List<ProcStat> GroupMembers(int containerPid) =>
        [.. ProcFs.EnumerateAll().Where(p => p.IsAlive && (p.ProcessGroup == containerPid || p.Session == containerPid))];

    public static bool IsAlive(int pid) => ProcFs.ReadStat(pid) is { IsAlive: true };

    public async ValueTask DisposeAsync()
    {
        foreach (var runtime in _runtimes)
        {
            await runtime.DisposeAsync();
        }

        foreach (var helper in _helpers)
        {
            if (!helper.HasExited)
            {
                helper.Kill();
            }

            helper.Dispose();
        }

        var layout = new StateLayout(Path);
        foreach (var id in layout.EnumerateRuns())
        {
            var paths = layout.Run(id);
            if (RunFiles.ReadPid(paths.ShimPid) is { } shim && ShimScript.IsShimOf(ProcFs.ReadCommandLine(shim), paths.Directory))
            {
                Signals.Send(shim, Signals.Kill);
            }

            if (RunFiles.ReadPid(paths.Pid) is { } container)
            {
                foreach (var member in GroupMembers(container))
                {
                    Signals.Send(member.Pid, Signals.Kill);
                }
            }
        }

        // A tmpfs volume of a pod the test did not remove: unmounted before its folder is deleted.
        foreach (var pod in layout.EnumeratePods())
        {
            Volumes.PodVolumes.UnmountAll(layout.VolumesDirectory(pod));
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
