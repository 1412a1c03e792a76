namespace DurableKube.Ports.Runtime;

/// <summary>A volume of the pod the runtime provides to the containers that mount it.</summary>
/// <param name="Name">The volume's name in the pod spec.</param>
/// <param name="Kind">What kind of volume.</param>
public sealed record SandboxVolume(string Name, SandboxVolumeKind Kind)
{
    /// <summary>Gets the files of a <see cref="SandboxVolumeKind.Secret"/> volume: name to content.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);
}

/// <summary>The kinds of volume runtimes provide.</summary>
public enum SandboxVolumeKind
{
    /// <summary>An empty directory that lives as long as the pod.</summary>
    EmptyDir,

    /// <summary>Files from a Secret (or a ConfigMap), read-only.</summary>
    Secret,
}
