namespace DurableKube.Ports.Runtime;

/// <summary>
/// A volume of the pod the runtime provides to the containers that mount it. The kubelet side resolves what the
/// volume holds (a ConfigMap's keys, a Secret's, the downward API's fields) into <see cref="Files"/>; the runtime
/// only places them.
/// </summary>
/// <param name="Name">The volume's name in the pod spec.</param>
/// <param name="Kind">What kind of volume.</param>
public sealed record SandboxVolume(string Name, SandboxVolumeKind Kind)
{
    /// <summary>
    /// Gets the files of a <see cref="SandboxVolumeKind.Files"/> volume, paths relative to the volume's root
    /// (<c>tls.crt</c>, <c>conf/app.yaml</c>), each with its content and mode.
    /// </summary>
    public IReadOnlyList<VolumeFile> Files { get; init; } = [];

    /// <summary>Gets a value indicating whether the volume's content is secret (a Secret's keys): kept in memory where the runtime can, never logged.</summary>
    public bool Sensitive { get; init; }

    /// <summary>Gets a value indicating whether an <see cref="SandboxVolumeKind.EmptyDir"/> lives in memory (<c>medium: Memory</c>, a tmpfs).</summary>
    public bool InMemory { get; init; }

    /// <summary>Gets the most an <see cref="SandboxVolumeKind.EmptyDir"/> may hold (<c>sizeLimit</c>), in bytes, if limited.</summary>
    public long? SizeLimitBytes { get; init; }

    /// <summary>Gets the path on the node of a <see cref="SandboxVolumeKind.HostPath"/> volume.</summary>
    public string? HostPath { get; init; }

    /// <summary>Gets the <c>hostPath.type</c> of a <see cref="SandboxVolumeKind.HostPath"/> volume (<c>Directory</c>, <c>DirectoryOrCreate</c>, <c>File</c>...), empty for no check.</summary>
    public string HostPathType { get; init; } = string.Empty;
}

/// <summary>One file of a <see cref="SandboxVolumeKind.Files"/> volume.</summary>
/// <param name="Path">The path relative to the volume's root, with <c>/</c> between parts; never absolute, never with <c>..</c>.</param>
/// <param name="Content">The bytes.</param>
/// <param name="Mode">The file's permission bits (<c>defaultMode</c> or the item's <c>mode</c>; 0644 unless asked otherwise).</param>
public sealed record VolumeFile(string Path, byte[] Content, int Mode = VolumeFile.DefaultMode)
{
    /// <summary>The mode Kubernetes gives a projected file when the volume names none: 0644.</summary>
    public const int DefaultMode = 0x1A4;
}

/// <summary>The kinds of volume runtimes provide.</summary>
public enum SandboxVolumeKind
{
    /// <summary>An empty directory that lives as long as the pod, shared by the containers that mount it.</summary>
    EmptyDir,

    /// <summary>
    /// Files the kubelet side resolved (a ConfigMap's, a Secret's, the downward API's, a projection of them),
    /// mounted read-only, and replaced in place when <see cref="IContainerRuntime.UpdateVolumeAsync"/> gives new ones.
    /// </summary>
    Files,

    /// <summary>A path of the node itself, where the node allows it.</summary>
    HostPath,
}
