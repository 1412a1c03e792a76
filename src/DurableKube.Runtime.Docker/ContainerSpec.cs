using System.Globalization;
using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>Turns a container launch into the Engine API's create request, with Kubernetes' meaning of command and args.</summary>
internal static class ContainerSpec
{
    /// <summary>The CFS period the CPU limit is expressed against (the kubelet's 100 ms).</summary>
    public const long CpuPeriodMicros = 100_000;

    /// <summary>Makes the create request.</summary>
    /// <param name="launch">The launch.</param>
    /// <param name="name">The container's Docker name.</param>
    /// <param name="sandboxId">The pod's sandbox container, whose network and IPC namespaces it joins.</param>
    /// <param name="labels">Its labels.</param>
    /// <param name="volumes">The pod's volumes on the host.</param>
    /// <returns>The request.</returns>
    /// <exception cref="InvalidOperationException">A mount names a volume the pod does not have, or one that cannot be mounted so.</exception>
    public static CreateContainerParameters For(
        ContainerLaunch launch, string name, string sandboxId, IDictionary<string, string> labels, PodVolumes volumes)
    {
        // Kubernetes: command replaces the image's ENTRYPOINT (and its CMD goes with it); args alone replace CMD.
        IList<string>? entrypoint = null;
        IList<string>? cmd = null;
        if (launch.Command.Count > 0)
        {
            entrypoint = [.. launch.Command];
            cmd = [];
        }
        else if (launch.EntrypointArgs.Count > 0)
        {
            cmd = [.. launch.EntrypointArgs];
        }

        var hostConfig = new HostConfig
        {
            NetworkMode = $"container:{sandboxId}",
            IpcMode = $"container:{sandboxId}",
            Mounts = Mounts(launch, volumes),
            Privileged = launch.Privileged,
            ReadonlyRootfs = launch.ReadOnlyRootFilesystem,
        };
        if (launch.Resources.CpuLimitMillis is { } cpu)
        {
            hostConfig.CPUPeriod = CpuPeriodMicros;
            hostConfig.CPUQuota = Math.Max(1000, cpu * CpuPeriodMicros / 1000);
        }

        if (launch.Resources.CpuRequestMillis is { } shares)
        {
            // The kubelet's milli-CPU to shares: 1024 per CPU, at least 2.
            hostConfig.CPUShares = Math.Max(2, shares * 1024 / 1000);
        }

        if (launch.Resources.MemoryLimitBytes is { } memory)
        {
            hostConfig.Memory = memory;
            hostConfig.MemorySwap = memory;
        }

        return new CreateContainerParameters
        {
            Name = name,
            Image = launch.Image,
            Entrypoint = entrypoint,
            Cmd = cmd,
            Env = [.. launch.Environment.Select(e => $"{e.Key}={e.Value}")],
            WorkingDir = launch.WorkingDirectory ?? string.Empty,
            User = launch.RunAsUser?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            OpenStdin = launch.Stdin,
            AttachStdin = launch.Stdin,
            Tty = launch.Tty,
            AttachStdout = true,
            AttachStderr = true,
            Labels = labels,
            HostConfig = hostConfig,
        };
    }

    private static List<Mount> Mounts(ContainerLaunch launch, PodVolumes volumes)
    {
        var records = volumes.Read(launch.Id.PodUid).ToDictionary(v => v.Name, StringComparer.Ordinal);
        var mounts = new List<Mount>();
        foreach (var mount in launch.VolumeMounts)
        {
            if (!records.TryGetValue(mount.Volume, out var volume))
            {
                throw new InvalidOperationException($"volume \"{mount.Volume}\" is not a volume of the pod");
            }

            var subPath = mount.SubPath.Trim('/');
            if (subPath.Split('/').Any(part => part == ".."))
            {
                throw new InvalidOperationException($"subPath \"{mount.SubPath}\" of volume \"{mount.Volume}\" must not contain '..'");
            }

            if (volume.Kind == SandboxVolumeKind.EmptyDir && volume.InMemory)
            {
                if (subPath.Length > 0)
                {
                    throw new InvalidOperationException($"subPath of the in-memory emptyDir \"{mount.Volume}\" is not supported by the docker runtime");
                }

                mounts.Add(new Mount
                {
                    Type = "volume",
                    Source = DockerLabels.TmpfsVolumeName(launch.Id.PodUid, volume.Name),
                    Target = mount.MountPath,
                    ReadOnly = mount.ReadOnly,
                });
                continue;
            }

            var root = volume.Kind == SandboxVolumeKind.HostPath ? volume.HostPath ?? "/" : volumes.VolumeDirectory(launch.Id.PodUid, volume.Name);
            var source = subPath.Length == 0 ? root : Path.Combine(root, subPath);
            if (subPath.Length > 0)
            {
                if (volume.Kind == SandboxVolumeKind.Files)
                {
                    // A subPath of a Files volume is the file as it is now (through ..data): later updates do not reach it.
                    source = new FileInfo(source).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? source;
                }
                else if (!File.Exists(source) && !Directory.Exists(source))
                {
                    Directory.CreateDirectory(source);
                }
            }

            mounts.Add(new Mount
            {
                Type = "bind",
                Source = source,
                Target = mount.MountPath,
                ReadOnly = mount.ReadOnly || volume.Kind == SandboxVolumeKind.Files,
            });
        }

        return mounts;
    }
}

/// <summary>Checks a pod's hostPath volumes against their types before the sandbox is made, in the kubelet's words.</summary>
internal static class VolumeCheck
{
    /// <summary>The first volume that cannot be set up, as the kubelet's FailedMount message; <see langword="null"/> if all can.</summary>
    /// <param name="volumes">The volumes.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public static string? FirstFailure(IReadOnlyList<SandboxVolume> volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        foreach (var volume in volumes.Where(v => v.Kind == SandboxVolumeKind.HostPath))
        {
            var path = volume.HostPath ?? string.Empty;
            string? why = null;
            if (!Path.IsPathRooted(path))
            {
                why = $"hostPath \"{path}\" is not an absolute path";
            }
            else
            {
                switch (volume.HostPathType)
                {
                    case "DirectoryOrCreate":
                        Directory.CreateDirectory(path);
                        break;
                    case "FileOrCreate":
                        if (!File.Exists(path))
                        {
                            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                            File.WriteAllBytes(path, []);
                        }

                        break;
                    case "Directory" when !Directory.Exists(path):
                        why = $"hostPath type check failed: {path} is not a directory";
                        break;
                    case "File" when !File.Exists(path):
                        why = $"hostPath type check failed: {path} is not a file";
                        break;
                }
            }

            if (why is not null)
            {
                return $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {why}";
            }
        }

        return null;
    }
}
