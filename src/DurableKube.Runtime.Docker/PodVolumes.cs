using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>
/// A pod's volumes on the host, under the runtime's state directory (<c>pods/&lt;uid&gt;/</c>): emptyDirs as folders,
/// Files volumes in the kubelet's atomic layout (each file a symlink into <c>..data</c>, itself a symlink to a
/// timestamped folder swapped in one rename), the volume list the sandbox was made with, and acknowledged exits.
/// </summary>
internal sealed class PodVolumes
{
    private const string DataLink = "..data";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _root;

    /// <summary>Initializes a new instance of the <see cref="PodVolumes"/> class.</summary>
    /// <param name="root">The runtime's absolute state directory.</param>
    public PodVolumes(string root) => _root = root;

    /// <summary>The folder of a pod.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The path.</returns>
    public string PodDirectory(string podUid) => Path.Combine(_root, "pods", podUid);

    /// <summary>The host folder of one volume.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="volume">The volume's name.</param>
    /// <returns>The path.</returns>
    public string VolumeDirectory(string podUid, string volume) => Path.Combine(PodDirectory(podUid), "volumes", volume);

    /// <summary>Writes the pod's volumes (idempotent: a Files volume already there keeps its files) and records them.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="volumes">The volumes.</param>
    /// <param name="now">The time, naming a Files volume's first version.</param>
    public void Prepare(string podUid, IReadOnlyList<SandboxVolume> volumes, DateTimeOffset now)
    {
        var pod = PodDirectory(podUid);
        Directory.CreateDirectory(Path.Combine(pod, "acks"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(pod, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var volume in volumes)
        {
            var directory = VolumeDirectory(podUid, volume.Name);
            switch (volume.Kind)
            {
                case SandboxVolumeKind.EmptyDir when !volume.InMemory:
                    Directory.CreateDirectory(directory);
                    break;
                case SandboxVolumeKind.Files when !Directory.Exists(Path.Combine(directory, DataLink)):
                    WriteFiles(directory, volume.Files, now);
                    break;
            }
        }

        var records = volumes.Select(v => new VolumeRecord(v.Name, v.Kind, v.InMemory, v.SizeLimitBytes, v.HostPath)).ToList();
        var path = Path.Combine(pod, "volumes.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(records, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Reads the volumes a pod's sandbox was made with.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The volumes; empty for a pod with none or unknown.</returns>
    public IReadOnlyList<VolumeRecord> Read(string podUid)
    {
        var path = Path.Combine(PodDirectory(podUid), "volumes.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<List<VolumeRecord>>(File.ReadAllText(path), Json) ?? [] : [];
    }

    /// <summary>Replaces a Files volume's content with one atomic swap; does nothing for a pod that has no such folder.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="volume">The volume and its new files.</param>
    /// <param name="now">The time, naming the new version.</param>
    /// <returns>Whether the pod has the volume.</returns>
    public bool Update(string podUid, SandboxVolume volume, DateTimeOffset now)
    {
        var directory = VolumeDirectory(podUid, volume.Name);
        if (!Directory.Exists(directory))
        {
            return false;
        }

        WriteFiles(directory, volume.Files, now);
        return true;
    }

    /// <summary>Records that a run's exit was acknowledged.</summary>
    /// <param name="id">The run.</param>
    public void Acknowledge(ContainerRunId id)
    {
        var acks = Path.Combine(PodDirectory(id.PodUid), "acks");
        Directory.CreateDirectory(acks);
        File.WriteAllText(AckPath(id), string.Empty);
    }

    /// <summary>Whether a run's exit was acknowledged.</summary>
    /// <param name="id">The run.</param>
    /// <returns>Whether it was.</returns>
    public bool IsAcknowledged(ContainerRunId id) => File.Exists(AckPath(id));

    /// <summary>Removes everything of the pod.</summary>
    /// <param name="podUid">The pod's uid.</param>
    public void Remove(string podUid)
    {
        var pod = PodDirectory(podUid);
        if (Directory.Exists(pod))
        {
            Directory.Delete(pod, recursive: true);
        }
    }

    private string AckPath(ContainerRunId id) =>
        Path.Combine(PodDirectory(id.PodUid), "acks", $"{id.ContainerName}.{id.Attempt.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// The kubelet's atomic writer: the files go into a new timestamped folder, <c>..data</c> is switched to it by a
    /// rename of a fresh symlink (atomic), each top-level name is a symlink through <c>..data</c>, and the old version goes.
    /// </summary>
    private static void WriteFiles(string directory, IReadOnlyList<VolumeFile> files, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        var version = $"..{now.UtcDateTime.ToString("yyyy_MM_dd_HH_mm_ss", CultureInfo.InvariantCulture)}.{Guid.NewGuid().ToString("N")[..9]}";
        var target = Path.Combine(directory, version);
        Directory.CreateDirectory(target);
        foreach (var file in files)
        {
            var path = Path.Combine(target, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Content);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)file.Mode);
            }
        }

        var data = Path.Combine(directory, DataLink);
        var old = Directory.Exists(data) ? new DirectoryInfo(data).LinkTarget : null;
        var temporary = Path.Combine(directory, "..data_tmp");
        if (File.Exists(temporary) || Directory.Exists(temporary) || new FileInfo(temporary).LinkTarget is not null)
        {
            File.Delete(temporary);
        }

        File.CreateSymbolicLink(temporary, version);
        NativeMethods.Rename(temporary, data);

        var names = files.Select(f => f.Path.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var link = Path.Combine(directory, name);
            if (new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine(DataLink, name));
            }
        }

        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (!entry.Name.StartsWith("..", StringComparison.Ordinal) && entry.LinkTarget is not null && !names.Contains(entry.Name))
            {
                entry.Delete();
            }
        }

        if (old is not null && old != version && Directory.Exists(Path.Combine(directory, old)))
        {
            Directory.Delete(Path.Combine(directory, old), recursive: true);
        }
    }
}

/// <summary>What the runtime keeps of a pod volume to mount it into each container.</summary>
/// <param name="Name">The volume's name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="InMemory">Whether an emptyDir is a tmpfs.</param>
/// <param name="SizeLimitBytes">The emptyDir's size limit.</param>
/// <param name="HostPath">The host path of a hostPath volume.</param>
internal sealed record VolumeRecord(string Name, SandboxVolumeKind Kind, bool InMemory, long? SizeLimitBytes, string? HostPath);

/// <summary>The one system call .NET does not offer as is: rename(2) of a symlink over another (atomic).</summary>
internal static partial class NativeMethods
{
    /// <summary>Renames a path over another in one step.</summary>
    /// <param name="from">The path to rename.</param>
    /// <param name="to">The path it replaces.</param>
    /// <exception cref="IOException">The rename failed.</exception>
    public static void Rename(string from, string to)
    {
        if (RenameNative(from, to) != 0)
        {
            throw new IOException($"rename {from} -> {to} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameNative(string from, string to);
}
