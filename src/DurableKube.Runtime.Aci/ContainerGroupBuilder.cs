using System.Globalization;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Aci.Arm.Models;

namespace DurableKube.Runtime.Aci;

/// <summary>
/// The container group of a pod's sandbox, as ARM takes it: one group per pod, restartPolicy <c>Never</c> (the pod's
/// workflow owns restarts and their back-off), Linux, Standard, init containers first.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Command: ACI's <c>command</c> is the Kubernetes command followed by its args (ACI has no separate args);
/// a container with neither leaves it unset so the image's entrypoint runs.</item>
/// <item>Environment: values that came from a Secret go as <c>secureValue</c>, which ARM never returns.</item>
/// <item>Resources: ACI needs a request; a container without one gets <see cref="AciRuntimeOptions.DefaultCpu"/> and
/// <see cref="AciRuntimeOptions.DefaultMemoryGB"/>. CPU is rounded up to a tenth of a core (at least 0.1), memory up
/// to a tenth of a GB (10^9 bytes: 1Gi becomes 1.1). Limits go only when given, never below the request.</item>
/// <item>Ports: each container's ports, and the group's IP address (Public) exposes them all; a pod without ports
/// gets no address, as ACI allows.</item>
/// <item>Sidecars (init containers with restartPolicy Always) run as app containers: ACI has no sidecar ordering.</item>
/// <item>Not mapped (ACI has no equivalent): workingDir, SCTP ports, probes, securityContext.</item>
/// </list>
/// </remarks>
public static class ContainerGroupBuilder
{
    private const double BytesPerGB = 1_000_000_000d;

    /// <summary>The group of a sandbox.</summary>
    /// <param name="spec">The sandbox, with its containers.</param>
    /// <param name="options">The node.</param>
    /// <returns>The group body.</returns>
    public static ContainerGroup Build(SandboxSpec spec, AciRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var apps = spec.Containers.Where(c => c.Kind != ContainerKind.Init).ToList();
        var inits = spec.Containers.Where(c => c.Kind == ContainerKind.Init).ToList();
        var ports = apps.SelectMany(c => c.Ports).Where(p => Protocol(p.Protocol) is not null)
            .Select(p => (p.ContainerPort, Protocol: Protocol(p.Protocol)!)).Distinct().ToList();
        return new ContainerGroup
        {
            Location = options.Region,
            // The runs' attempt is the group's generation: a group made again (deleted behind our back) carries on from it.
            Tags = Tags(spec.Namespace, spec.PodName, spec.PodUid, options.NodeName, generation: spec.Containers.Select(c => c.Id.Attempt).DefaultIfEmpty(0).Max()),
            Properties = new ContainerGroupProperties
            {
                OsType = "Linux",
                Sku = "Standard",
                RestartPolicy = "Never",
                Containers = [.. apps.Select(c => App(c, options))],
                InitContainers = inits.Count == 0 ? null : [.. inits.Select(Init)],
                IpAddress = ports.Count == 0 ? null : new IpAddress { Type = "Public", Ports = [.. ports.Select(p => new GroupPort { Port = p.ContainerPort, Protocol = p.Protocol })] },
                ImageRegistryCredentials = spec.PullCredentials.Count == 0 ? null
                    : [.. spec.PullCredentials.Select(c => new ImageRegistryCredential { Server = c.Server, Username = c.Username, Password = c.Password })],
                Volumes = spec.Volumes.Count == 0 ? null : [.. spec.Volumes.Select(Volume)],
            },
        };
    }

    /// <summary>The tags of a pod's group.</summary>
    /// <param name="podNamespace">The pod's namespace.</param>
    /// <param name="podName">The pod's name.</param>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="node">The node's name.</param>
    /// <param name="generation">The generation of its runs.</param>
    /// <returns>The tags.</returns>
    public static Dictionary<string, string> Tags(string podNamespace, string podName, string podUid, string node, int generation) => new(StringComparer.Ordinal)
    {
        [GroupNames.NamespaceTag] = podNamespace,
        [GroupNames.PodTag] = podName,
        [GroupNames.UidTag] = podUid,
        [GroupNames.NodeTag] = node,
        [GroupNames.GenerationTag] = generation.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>CPU in cores as ACI takes it: millicores rounded up to a tenth of a core, at least 0.1.</summary>
    /// <param name="millicores">The Kubernetes quantity in millicores.</param>
    /// <returns>The cores.</returns>
    public static double Cores(long millicores) => Math.Max(1, (long)Math.Ceiling(millicores / 100d)) / 10d;

    /// <summary>Memory in GB as ACI takes it: bytes rounded up to a tenth of a GB (10^9 bytes), at least 0.1.</summary>
    /// <param name="bytes">The Kubernetes quantity in bytes.</param>
    /// <returns>The GB.</returns>
    public static double Gigabytes(long bytes) => Math.Max(1, (long)Math.Ceiling(bytes / (BytesPerGB / 10))) / 10d;

    private static Container App(ContainerLaunch launch, AciRuntimeOptions options)
    {
        var r = launch.Resources;
        var cpu = (r.CpuRequestMillis ?? r.CpuLimitMillis) is { } millicores ? Cores(millicores) : options.DefaultCpu;
        var memory = (r.MemoryRequestBytes ?? r.MemoryLimitBytes) is { } bytes ? Gigabytes(bytes) : options.DefaultMemoryGB;
        var limits = r.CpuLimitMillis is null && r.MemoryLimitBytes is null ? null : new ResourceLimits
        {
            Cpu = r.CpuLimitMillis is { } c ? Math.Max(cpu, Cores(c)) : null,
            MemoryInGB = r.MemoryLimitBytes is { } m ? Math.Max(memory, Gigabytes(m)) : null,
        };
        return new Container
        {
            Name = launch.Id.ContainerName,
            Properties = new ContainerProperties
            {
                Image = launch.Image,
                Command = Command(launch),
                EnvironmentVariables = Environment(launch),
                Ports = launch.Ports.Count == 0 ? null
                    : [.. launch.Ports.Where(p => Protocol(p.Protocol) is not null).Select(p => new ContainerPort { Port = p.ContainerPort, Protocol = Protocol(p.Protocol) })],
                Resources = new ResourceRequirements { Requests = new ResourceRequests { Cpu = cpu, MemoryInGB = memory }, Limits = limits },
                VolumeMounts = Mounts(launch),
            },
        };
    }

    private static InitContainer Init(ContainerLaunch launch) => new()
    {
        Name = launch.Id.ContainerName,
        Properties = new InitContainerProperties
        {
            Image = launch.Image,
            Command = Command(launch),
            EnvironmentVariables = Environment(launch),
            VolumeMounts = Mounts(launch),
        },
    };

    private static List<string>? Command(ContainerLaunch launch) => launch.Command.Count == 0 ? null : [.. launch.Command];

    private static List<EnvironmentVariable>? Environment(ContainerLaunch launch) => launch.Environment.Count == 0 ? null :
    [
        .. launch.Environment.Select(pair => launch.SecretEnvironment.Contains(pair.Key)
            ? new EnvironmentVariable { Name = pair.Key, SecureValue = pair.Value }
            : new EnvironmentVariable { Name = pair.Key, Value = pair.Value }),
    ];

    private static List<VolumeMount>? Mounts(ContainerLaunch launch) => launch.VolumeMounts.Count == 0 ? null :
        [.. launch.VolumeMounts.Select(m => new VolumeMount { Name = m.Volume, MountPath = m.MountPath, ReadOnly = m.ReadOnly ? true : null })];

    private static Volume Volume(SandboxVolume volume) => volume.Kind switch
    {
        SandboxVolumeKind.Files => new Volume { Name = volume.Name, Secret = volume.Files.ToDictionary(f => f.Path, f => Convert.ToBase64String(f.Content), StringComparer.Ordinal) },
        SandboxVolumeKind.EmptyDir => new Volume { Name = volume.Name, EmptyDir = new EmptyDirVolume() },
        _ => throw new ContainerRuntimeException($"volume \"{volume.Name}\": an Azure Container Instances group cannot mount a {volume.Kind} volume", transient: false),
    };

    private static string? Protocol(string protocol) => protocol.ToUpperInvariant() switch
    {
        "TCP" => "TCP",
        "UDP" => "UDP",
        _ => null,
    };
}
