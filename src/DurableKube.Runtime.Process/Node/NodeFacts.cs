using System.Globalization;
using System.Runtime.InteropServices;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Node;

/// <summary>Describes the Linux machine the process runtime runs containers on, in a Node's words.</summary>
internal static class NodeFacts
{
    /// <summary>The pod capacity the kubelet reports by default (maxPods).</summary>
    public const string DefaultMaxPods = "110";

    /// <summary>The memory the kubelet's default hard eviction threshold keeps free (<c>memory.available&lt;100Mi</c>).</summary>
    public const long EvictionMemoryKibibytes = 100 * 1024;

    /// <summary>The share of the node's file system the default hard eviction threshold keeps free (<c>nodefs.available&lt;10%</c>).</summary>
    public const int EvictionNodeFsPercent = 10;

    /// <summary>Describes the node.</summary>
    /// <param name="stateRoot">The runtime's state folder; its file system is the node's ephemeral storage.</param>
    /// <param name="runtimeName">The runtime's name.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The description.</returns>
    public static async Task<NodeDescription> DescribeAsync(string stateRoot, string runtimeName, CancellationToken cancellationToken)
    {
        var capacity = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cpu"] = (ParseCpuList(await ReadOrNullAsync("/sys/devices/system/cpu/online", cancellationToken)) ?? Environment.ProcessorCount)
                .ToString(CultureInfo.InvariantCulture),
            ["pods"] = DefaultMaxPods,
        };
        if (ParseMemTotalKibibytes(await ReadOrNullAsync("/proc/meminfo", cancellationToken)) is { } memory)
        {
            capacity["memory"] = $"{memory.ToString(CultureInfo.InvariantCulture)}Ki";
        }

        try
        {
            var drive = new DriveInfo(stateRoot);
            capacity["ephemeral-storage"] = $"{(drive.TotalSize / 1024).ToString(CultureInfo.InvariantCulture)}Ki";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // No size for this file system: leave ephemeral-storage out rather than guess.
        }

        var kernel = (await ReadOrNullAsync("/proc/sys/kernel/osrelease", cancellationToken))?.Trim() ?? Environment.OSVersion.Version.ToString();
        var image = ParsePrettyName(await ReadOrNullAsync("/etc/os-release", cancellationToken)) ?? "Linux";
        var version = typeof(NodeFacts).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return new NodeDescription(
            Hostname: Environment.MachineName.ToLowerInvariant(),
            InternalIP: "127.0.0.1",
            Capacity: capacity,
            OperatingSystem: "linux",
            Architecture: GoArchitecture(RuntimeInformation.OSArchitecture),
            KernelVersion: kernel,
            OsImage: image,
            ContainerRuntimeVersion: $"{runtimeName}://{version}",
            Allocatable: Allocatable(capacity));
    }

    /// <summary>
    /// What pods may request, as a kubelet with its defaults computes it: capacity less the hard eviction
    /// thresholds (100Mi of memory, 10% of the file system); no CPU or memory is reserved for the system
    /// (<c>kubeReserved</c> and <c>systemReserved</c> are empty by default).
    /// </summary>
    /// <param name="capacity">The capacity, memory and ephemeral storage in Ki.</param>
    /// <returns>The allocatable amounts.</returns>
    public static IReadOnlyDictionary<string, string> Allocatable(IReadOnlyDictionary<string, string> capacity)
    {
        ArgumentNullException.ThrowIfNull(capacity);
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

    /// <summary>
    /// Counts the CPUs of a Linux CPU list (<c>/sys/devices/system/cpu/online</c>, e.g. <c>0-3,8-11</c>): the
    /// machine's online logical CPUs, which is what a kubelet reports, unlike <see cref="Environment.ProcessorCount"/>,
    /// which follows the process's affinity and <c>DOTNET_PROCESSOR_COUNT</c>.
    /// </summary>
    /// <param name="list">The list's text.</param>
    /// <returns>The count, or <see langword="null"/> if the text is not a CPU list.</returns>
    public static int? ParseCpuList(string? list)
    {
        var text = list?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var count = 0;
        foreach (var range in text.Split(','))
        {
            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first)
            {
                return null;
            }

            count += last - first + 1;
        }

        return count;
    }

    /// <summary>Names an architecture as Go's GOARCH does (what Kubernetes reports).</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The GOARCH name.</returns>
    public static string GoArchitecture(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm or Architecture.Armv6 => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.LoongArch64 => "loong64",
        Architecture.RiscV64 => "riscv64",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads MemTotal (in kB, which /proc means as KiB) from /proc/meminfo.</summary>
    /// <param name="meminfo">The file's text.</param>
    /// <returns>The total, or <see langword="null"/>.</returns>
    public static long? ParseMemTotalKibibytes(string? meminfo)
    {
        foreach (var line in (meminfo ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var number = line["MemTotal:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim();
                return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }

    /// <summary>Reads PRETTY_NAME from /etc/os-release.</summary>
    /// <param name="osRelease">The file's text.</param>
    /// <returns>The name, or <see langword="null"/>.</returns>
    public static string? ParsePrettyName(string? osRelease)
    {
        foreach (var line in (osRelease ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim().Trim('"', '\'');
            }
        }

        return null;
    }

    private static long? Kibibytes(IReadOnlyDictionary<string, string> capacity, string name) =>
        capacity.TryGetValue(name, out var text) && text.EndsWith("Ki", StringComparison.Ordinal)
            && long.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static async Task<string?> ReadOrNullAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
