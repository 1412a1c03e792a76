using Docker.DotNet.Models;
using DurableKube.Domain.Metrics;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>
/// Usage for the metrics API from the engine's stats (one read each, <c>stream=false&amp;one-shot=true</c>): a
/// container's cumulative CPU time (<c>cpu_stats.cpu_usage.total_usage</c>) turned into a rate by the runtime's
/// <see cref="UsageSampler"/>, and its working set as the kubelet counts it (usage less inactive file cache). The
/// node's figures are the host's <c>/proc/stat</c> and <c>/proc/meminfo</c> when the engine is on this machine (a
/// unix socket); an engine elsewhere gives no node figures.
/// </summary>
public sealed partial class DockerContainerRuntime
{
    private const string NodeUsageKey = "node";

    /// <summary>The clock ticks per second <c>/proc/stat</c> counts in (<c>USER_HZ</c>, 100 on every Linux Docker runs on).</summary>
    private const long UserHz = 100;

    private readonly UsageSampler _usage = new();

    /// <inheritdoc />
    public async Task<NodeUsage?> GetUsageAsync(CancellationToken cancellationToken = default)
    {
        var (usage, incomplete) = await SampleUsageAsync(cancellationToken);
        if (incomplete)
        {
            await Task.Delay(_usage.MinWindow, _time, cancellationToken);
            (usage, _) = await SampleUsageAsync(cancellationToken);
        }

        return usage;
    }

    private async Task<(NodeUsage Usage, bool Incomplete)> SampleUsageAsync(CancellationToken cancellationToken)
    {
        var incomplete = false;
        var seen = new List<string> { NodeUsageKey };
        ResourceUsage? node = null;
        if (_options.Endpoint.StartsWith("unix://", StringComparison.Ordinal)
            && UsageFigures.ParseHostBusyTicks(ReadHostFile("/proc/stat")) is { } busy
            && UsageFigures.ParseHostWorkingSetBytes(ReadHostFile("/proc/meminfo")) is { } workingSet)
        {
            node = _usage.Observe(NodeUsageKey, _time.GetUtcNow(), UsageFigures.TicksToNanoseconds(busy, UserHz), workingSet);
            incomplete |= node is null;
        }

        var pods = new Dictionary<string, List<ContainerUsage>>(StringComparer.Ordinal);
        var runs = (await ListOursAsync(null, cancellationToken))
            .Where(c => c.State == "running")
            .Select(c => (Container: c, Ok: DockerLabels.TryReadRun(c.Labels, out var id), Id: id))
            .Where(r => r.Ok)
            .GroupBy(r => (r.Id.PodUid, r.Id.ContainerName))
            .Select(g => g.MaxBy(r => r.Id.Attempt));
        foreach (var (container, _, id) in runs)
        {
            var stats = await ReadStatsAsync(container.ID, cancellationToken);
            if (stats?.CPUStats?.CPUUsage is not { } cpu || stats.MemoryStats is not { } memory)
            {
                continue;
            }

            var key = id.ToString();
            seen.Add(key);
            var figures = memory.Stats is null ? null : new Dictionary<string, ulong>(memory.Stats, StringComparer.Ordinal);
            var time = stats.Read == default ? _time.GetUtcNow() : new DateTimeOffset(stats.Read.ToUniversalTime());
            if (_usage.Observe(key, time, cpu.TotalUsage, UsageFigures.DockerWorkingSetBytes(memory.Usage, figures)) is { } usage)
            {
                if (!pods.TryGetValue(id.PodUid, out var containers))
                {
                    pods[id.PodUid] = containers = [];
                }

                containers.Add(new ContainerUsage(id.ContainerName, usage));
            }
            else
            {
                incomplete = true;
            }
        }

        _usage.Retain(seen);
        return (new NodeUsage(node, [.. pods.Select(p => new PodUsage(p.Key, p.Value))]), incomplete);
    }

    private async Task<ContainerStatsResponse?> ReadStatsAsync(string containerId, CancellationToken cancellationToken)
    {
        var progress = new LastValue();
        try
        {
            await _client.Containers.GetContainerStatsAsync(containerId, new ContainerStatsParameters { Stream = false, OneShot = true }, progress, cancellationToken);
        }
        catch (global::Docker.DotNet.DockerContainerNotFoundException)
        {
            return null;
        }

        return progress.Value;
    }

    private static string? ReadHostFile(string path)
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

    /// <summary>Keeps the one stats reply (reported synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class LastValue : IProgress<ContainerStatsResponse>
    {
        public ContainerStatsResponse? Value { get; private set; }

        public void Report(ContainerStatsResponse value) => Value = value;
    }
}
