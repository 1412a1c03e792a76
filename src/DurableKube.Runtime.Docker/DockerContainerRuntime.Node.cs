using System.Globalization;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>The node, as the engine describes its machine.</summary>
public sealed partial class DockerContainerRuntime
{
    /// <summary>The pod capacity the kubelet reports by default (maxPods).</summary>
    internal const string DefaultMaxPods = "110";

    /// <summary>The memory the kubelet's default hard eviction threshold keeps free (<c>memory.available&lt;100Mi</c>), in KiB.</summary>
    internal const long EvictionMemoryKibibytes = 100 * 1024;

    /// <summary>The share of the node's file system the default hard eviction threshold keeps free (<c>nodefs.available&lt;10%</c>).</summary>
    internal const int EvictionNodeFsPercent = 10;

    /// <inheritdoc />
    public async Task<NodeDescription> DescribeNodeAsync(CancellationToken cancellationToken = default)
    {
        var info = await _client.System.GetSystemInfoAsync(cancellationToken);
        var capacity = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cpu"] = info.NCPU.ToString(CultureInfo.InvariantCulture),
            ["memory"] = $"{(info.MemTotal / 1024).ToString(CultureInfo.InvariantCulture)}Ki",
            ["pods"] = DefaultMaxPods,
        };
        try
        {
            var drive = new DriveInfo(string.IsNullOrEmpty(info.DockerRootDir) ? Path.GetFullPath(_options.Root) : info.DockerRootDir);
            capacity["ephemeral-storage"] = $"{(drive.TotalSize / 1024).ToString(CultureInfo.InvariantCulture)}Ki";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // No size for this file system: leave ephemeral-storage out rather than guess.
        }

        return new NodeDescription(
            Hostname: (string.IsNullOrEmpty(info.Name) ? Environment.MachineName : info.Name).ToLowerInvariant(),
            InternalIP: await BridgeGatewayAsync(cancellationToken),
            Capacity: capacity,
            OperatingSystem: string.IsNullOrEmpty(info.OSType) ? "linux" : info.OSType,
            Architecture: GoArchitecture(info.Architecture),
            KernelVersion: info.KernelVersion ?? string.Empty,
            OsImage: info.OperatingSystem ?? "Linux",
            ContainerRuntimeVersion: $"{Name}://{info.ServerVersion}",
            Allocatable: Allocatable(capacity));
    }

    /// <summary>Capacity less the kubelet's default hard eviction thresholds (100Mi of memory, 10% of the file system).</summary>
    /// <param name="capacity">The capacity, memory and ephemeral storage in Ki.</param>
    /// <returns>The allocatable amounts.</returns>
    internal static IReadOnlyDictionary<string, string> Allocatable(IReadOnlyDictionary<string, string> capacity)
    {
        var allocatable = new Dictionary<string, string>(capacity, StringComparer.Ordinal);
        if (Kibibytes(capacity, "memory") is { } memory)
        {
            allocatable["memory"] = $"{Math.Max(0, memory - EvictionMemoryKibibytes).ToString(CultureInfo.InvariantCulture)}Ki";
        }

        if (Kibibytes(capacity, "ephemeral-storage") is { } storage)
        {
            var kept = (storage * EvictionNodeFsPercent + 99) / 100;
            allocatable["ephemeral-storage"] = $"{(storage - kept).ToString(CultureInfo.InvariantCulture)}Ki";
        }

        return allocatable;
    }

    /// <summary>Names the engine's architecture (uname's, e.g. <c>x86_64</c>) as Go's GOARCH does.</summary>
    /// <param name="architecture">The engine's architecture.</param>
    /// <returns>The GOARCH name.</returns>
    internal static string GoArchitecture(string? architecture) => architecture switch
    {
        "x86_64" or "amd64" => "amd64",
        "aarch64" or "arm64" => "arm64",
        "i386" or "i686" => "386",
        "armv7l" or "armv6l" or "arm" => "arm",
        null or "" => "amd64",
        _ => architecture,
    };

    private static long? Kibibytes(IReadOnlyDictionary<string, string> capacity, string key) =>
        capacity.TryGetValue(key, out var text) && text.EndsWith("Ki", StringComparison.Ordinal)
            && long.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
