using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Processes;

namespace DurableKube.Runtime.Process.Volumes;

/// <summary>
/// Places a pod's volumes under its folder (<c>pods/&lt;uid&gt;/volumes/&lt;name&gt;</c>), the way the kubelet does under
/// <c>/var/lib/kubelet/pods/&lt;uid&gt;/volumes</c>: an emptyDir is a folder (a tmpfs for <c>medium: Memory</c> where the
/// machine allows mounting one), a Files volume is written in the kubelet's atomic layout, a hostPath is checked
/// against its type. Containers see them through bind mounts in their own mount namespaces.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PodVolumes
{
    /// <summary>The symbolic link that names the current content of a Files volume.</summary>
    public const string DataLink = "..data";

    private const string DataLinkStaging = "..data_tmp";

    /// <summary>An emptyDir is open to every user, as the kubelet makes it (0777).</summary>
    private const UnixFileMode EveryoneFolder = (UnixFileMode)0x1FF;

    /// <summary>Folders the runtime creates in a volume or on the host: 0755.</summary>
    private const UnixFileMode OpenFolder = (UnixFileMode)0x1ED;

    /// <summary>Places one volume; does nothing to a volume already placed (its content changes only through <see cref="WriteFiles"/>).</summary>
    /// <param name="volumesDirectory">The pod's volumes folder.</param>
    /// <param name="volume">The volume.</param>
    /// <param name="tmpfsAllowed">Whether this runtime may mount a tmpfs (it runs as root).</param>
    /// <param name="now">The time, for the name of a Files volume's first content folder.</param>
    /// <returns>The volume as placed.</returns>
    /// <exception cref="ContainerRuntimeException">A hostPath fails its type check, or the folder cannot be made.</exception>
    public static VolumeRecord Place(string volumesDirectory, SandboxVolume volume, bool tmpfsAllowed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Kind == SandboxVolumeKind.HostPath)
        {
            return new VolumeRecord(volume.Name, volume.Kind, CheckHostPath(volume));
        }

        var folder = Path.Combine(volumesDirectory, volume.Name);
        var fresh = !Directory.Exists(folder);
        Directory.CreateDirectory(folder, volume.Kind == SandboxVolumeKind.EmptyDir ? EveryoneFolder : OpenFolder);
        var wantsMemory = volume.Kind == SandboxVolumeKind.EmptyDir ? volume.InMemory : volume.Sensitive;
        var inMemory = IsMountPoint(folder);
        if (wantsMemory && !inMemory && fresh && tmpfsAllowed)
        {
            var options = volume.Kind == SandboxVolumeKind.EmptyDir ? "mode=0777" : "mode=0755";
            if (volume.SizeLimitBytes is { } size)
            {
                options += string.Create(CultureInfo.InvariantCulture, $",size={size}");
            }

            inMemory = NativeMethods.Mount("tmpfs", folder, "tmpfs", 0, options) == 0;
        }

        if (volume.Kind == SandboxVolumeKind.EmptyDir)
        {
            File.SetUnixFileMode(folder, EveryoneFolder);
        }

        if (volume.Kind == SandboxVolumeKind.Files && !Path.Exists(Path.Combine(folder, DataLink)))
        {
            WriteFiles(folder, volume.Files, now);
        }

        return new VolumeRecord(volume.Name, volume.Kind, folder, inMemory);
    }

    /// <summary>
    /// Writes a Files volume's content as the kubelet's atomic writer does: a new <c>..&lt;timestamp&gt;</c> folder, the
    /// <c>..data</c> link swapped to it in one rename, each top-level entry a link into <c>..data</c>; then the old
    /// folder and the links of entries that are gone are removed. A reader sees the old content or the new, never a mix.
    /// </summary>
    /// <param name="folder">The volume's folder.</param>
    /// <param name="files">The content.</param>
    /// <param name="now">The time, for the new folder's name.</param>
    public static void WriteFiles(string folder, IReadOnlyList<VolumeFile> files, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            ValidateRelative(file.Path, "file");
        }

        var oldTarget = new FileInfo(Path.Combine(folder, DataLink)).LinkTarget;
        var stamp = string.Create(CultureInfo.InvariantCulture, $"..{now.UtcDateTime:yyyy_MM_dd_HH_mm_ss}.{Random.Shared.Next(100_000_000, 999_999_999)}");
        var content = Path.Combine(folder, stamp);
        Directory.CreateDirectory(content, OpenFolder);
        foreach (var file in files)
        {
            var path = Path.Combine(content, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!, OpenFolder);
            using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write }))
            {
                stream.Write(file.Content);
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(path, (UnixFileMode)(file.Mode & 0xFFF));
        }

        var staging = Path.Combine(folder, DataLinkStaging);
        if (new FileInfo(staging).LinkTarget is not null)
        {
            File.Delete(staging);
        }
        File.CreateSymbolicLink(staging, stamp);
        if (NativeMethods.Rename(staging, Path.Combine(folder, DataLink)) != 0)
        {
            throw new IOException($"Could not swap {DataLink} in {folder}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}.");
        }

        var top = files.Select(file => file.Path.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var name in top)
        {
            var link = Path.Combine(folder, name);
            if (!Path.Exists(link) && new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine(DataLink, name));
            }
        }

        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is { } target && target.StartsWith(DataLink + "/", StringComparison.Ordinal) && !top.Contains(entry.Name))
            {
                entry.Delete();
            }
        }

        if (oldTarget is not null && oldTarget != stamp && oldTarget.StartsWith("..", StringComparison.Ordinal) && !oldTarget.Contains('/', StringComparison.Ordinal))
        {
            Directory.Delete(Path.Combine(folder, oldTarget), recursive: true);
        }
    }

    /// <summary>Resolves a container's mount to the host path to bind, creating a missing sub path in the volume as the kubelet does.</summary>
    /// <param name="volume">The volume as placed.</param>
    /// <param name="mount">The mount.</param>
    /// <returns>The mount, resolved.</returns>
    /// <exception cref="ContainerRuntimeException">The mount path is not absolute, or the sub path leaves the volume.</exception>
    public static ResolvedMount Resolve(VolumeRecord volume, VolumeMountSpec mount)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(mount);
        if (!mount.MountPath.StartsWith('/') || mount.MountPath.Split('/').Any(part => part == ".."))
        {
            throw new ContainerRuntimeException($"the mount path \"{mount.MountPath}\" of volume \"{mount.Volume}\" must be absolute, without \"..\"", transient: false);
        }

        var target = "/" + string.Join('/', mount.MountPath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var readOnly = mount.ReadOnly || volume.Kind == SandboxVolumeKind.Files;
        var source = volume.Source;
        if (!string.IsNullOrEmpty(mount.SubPath))
        {
            ValidateRelative(mount.SubPath, "subPath");
            var root = NativeMethods.Canonical(volume.Source)
                ?? throw new ContainerRuntimeException($"volume \"{volume.Name}\" is missing: {volume.Source} does not exist", transient: false);
            var wanted = Path.Combine(volume.Source, mount.SubPath);
            if (!Path.Exists(wanted))
            {
                // The kubelet creates a missing sub path as a folder in the volume.
                Directory.CreateDirectory(wanted, OpenFolder);
            }

            source = NativeMethods.Canonical(wanted) ?? wanted;
            if (source != root && !source.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                throw new ContainerRuntimeException(
                    $"failed to prepare subPath for volumeMount \"{mount.Volume}\": subpath \"{mount.SubPath}\" not within volume path \"{root}\"", transient: false);
            }
        }
        else if (volume.Kind == SandboxVolumeKind.HostPath && !Path.Exists(source))
        {
            // containerd creates a missing host path of a volume with no type as a folder.
            Directory.CreateDirectory(source, OpenFolder);
        }

        return new ResolvedMount(source, target, Directory.Exists(source), readOnly);
    }

    /// <summary>Unmounts the tmpfs volumes of a pod (lazily: a container still holding one lets go when it ends).</summary>
    /// <param name="volumesDirectory">The pod's volumes folder.</param>
    public static void UnmountAll(string volumesDirectory)
    {
        if (!Directory.Exists(volumesDirectory))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(volumesDirectory))
        {
            while (IsMountPoint(folder) && NativeMethods.Unmount(folder, NativeMethods.DetachMount) == 0)
            {
                // Mounted twice (a retried create): unmount until it is a plain folder.
            }
        }
    }

    /// <summary>Tells whether a folder is a mount point of this process's mount namespace.</summary>
    /// <param name="folder">The folder, absolute.</param>
    /// <returns>Whether something is mounted there.</returns>
    public static bool IsMountPoint(string folder)
    {
        var canonical = NativeMethods.Canonical(folder);
        if (canonical is null)
        {
            return false;
        }

        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == canonical)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks a hostPath against its type as the kubelet does (creating it for the <c>...OrCreate</c> types).</summary>
    private static string CheckHostPath(SandboxVolume volume)
    {
        var path = volume.HostPath;
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/'))
        {
            throw new ContainerRuntimeException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : hostPath \"{path}\" is not an absolute path", transient: false);
        }

        var error = volume.HostPathType switch
        {
            "" => null,
            "DirectoryOrCreate" when !Path.Exists(path) => Create(() => Directory.CreateDirectory(path, OpenFolder)),
            "DirectoryOrCreate" or "Directory" => Directory.Exists(path) ? null : $"hostPath type check failed: {path} is not a directory",
            "FileOrCreate" when !Path.Exists(path) => Create(() => File.Create(path, 0, FileOptions.None).Dispose()),
            "FileOrCreate" or "File" => FileType(path) is "regular file" or "regular empty file" ? null : $"hostPath type check failed: {path} is not a file",
            "Socket" => FileType(path) == "socket" ? null : $"hostPath type check failed: {path} is not a socket file",
            "CharDevice" => FileType(path) == "character special file" ? null : $"hostPath type check failed: {path} is not a character device",
            "BlockDevice" => FileType(path) == "block special file" ? null : $"hostPath type check failed: {path} is not a block device",
            _ => $"hostPath type check failed: {volume.HostPathType} is an invalid volume type",
        };
        return error is null
            ? path
            : throw new ContainerRuntimeException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : {error}", transient: false);
    }

    private static string? Create(Action create)
    {
        try
        {
            create();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>The type of what a path names, following links (<c>stat -L -c %F</c>): <c>regular file</c>, <c>socket</c>...</summary>
    private static string? FileType(string path)
    {
        var start = new ProcessStartInfo("stat") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in new[] { "-L", "-c", "%F", "--", path })
        {
            start.ArgumentList.Add(word);
        }

        using var process = System.Diagnostics.Process.Start(start);
        if (process is null)
        {
            return null;
        }

        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : null;
    }

    private static void ValidateRelative(string path, string what)
    {
        if (string.IsNullOrEmpty(path) || path.StartsWith('/') || path.Split('/').Any(part => part is ".." or "."))
        {
            throw new ContainerRuntimeException($"invalid {what} \"{path}\": must be a relative path without \"..\"", transient: false);
        }
    }

    /// <summary>Undoes mountinfo's octal escapes (<c>\040</c> for a space).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
