using DurableKube.Domain.Metrics;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Processes;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <summary>
/// Usage for the metrics API from <c>/proc</c>: a container's processes are its process group and session (what a
/// stop signals), their CPU time (<c>utime + stime</c>) and resident sets (<c>rss</c>) summed from each
/// <c>/proc/&lt;pid&gt;/stat</c>; the node's from <c>/proc/stat</c> and <c>/proc/meminfo</c>. Rates come from the
/// runtime's <see cref="UsageSampler"/>: a run not sampled before is sampled again after
/// <see cref="UsageSampler.MinWindow"/>.
/// </summary>
internal sealed partial class ProcessContainerRuntime
{
    private const string NodeUsageKey = "node";

    private readonly UsageSampler _usage = new();
    private long _clockTicks;

    /// <inheritdoc />
    public async Task<NodeUsage?> GetUsageAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        var (usage, incomplete) = SampleUsage();
        if (incomplete)
        {
            await Task.Delay(_usage.MinWindow, _time, cancellationToken);
            (usage, _) = SampleUsage();
        }

        return usage;
    }

    private (NodeUsage Usage, bool Incomplete) SampleUsage()
    {
        var ticksPerSecond = ClockTicks();
        var pageSize = (ulong)Environment.SystemPageSize;
        var processes = ProcFs.EnumerateAll().Where(p => p.IsAlive).ToList();
        var now = _time.GetUtcNow();
        var incomplete = false;
        var seen = new List<string> { NodeUsageKey };

        ResourceUsage? node = null;
        if (UsageFigures.ParseHostBusyTicks(ReadProcFile("/proc/stat")) is { } busy
            && UsageFigures.ParseHostWorkingSetBytes(ReadProcFile("/proc/meminfo")) is { } workingSet)
        {
            node = _usage.Observe(NodeUsageKey, now, UsageFigures.TicksToNanoseconds(busy, ticksPerSecond), workingSet);
            incomplete |= node is null;
        }

        var pods = new List<PodUsage>();
        foreach (var pod in _layout.EnumeratePods())
        {
            var containers = new List<ContainerUsage>();

            // The newest live run of each container: an older one still ending is not the container any more.
            foreach (var run in _layout.EnumerateRuns(pod).GroupBy(id => id.ContainerName, StringComparer.Ordinal).Select(g => g.MaxBy(id => id.Attempt)))
            {
                var paths = _layout.Run(run);
                if (RunFiles.ReadExit(paths.Exit) is not null || RunFiles.ReadPid(paths.Pid) is not { } pid
                    || !IsContainerAlive(paths, IsShimAlive(paths, out var shimPid) ? shimPid : null))
                {
                    continue;
                }

                ulong cpuTicks = 0, rssPages = 0;
                foreach (var process in processes.Where(p => p.ProcessGroup == pid || p.Session == pid))
                {
                    cpuTicks += process.CpuTicks;
                    rssPages += process.RssPages;
                }

                var key = run.ToString();
                seen.Add(key);
                if (_usage.Observe(key, now, UsageFigures.TicksToNanoseconds(cpuTicks, ticksPerSecond), rssPages * pageSize) is { } usage)
                {
                    containers.Add(new ContainerUsage(run.ContainerName, usage));
                }
                else
                {
                    incomplete = true;
                }
            }

            if (containers.Count > 0)
            {
                pods.Add(new PodUsage(pod, containers));
            }
        }

        _usage.Retain(seen);
        return (new NodeUsage(node, pods), incomplete);
    }

    private long ClockTicks()
    {
        if (_clockTicks == 0)
        {
            var ticks = NativeMethods.SysConf(NativeMethods.ClockTicksName);
            _clockTicks = ticks > 0 ? ticks : 100;
        }

        return _clockTicks;
    }

    private static string? ReadProcFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
