namespace DurableKube.Ports.Runtime;

/// <summary>Where a container mounts one of its pod's volumes.</summary>
/// <param name="Volume">The volume's name.</param>
/// <param name="MountPath">The absolute path in the container.</param>
/// <param name="ReadOnly">Whether the mount is read-only (always so for a <see cref="SandboxVolumeKind.Files"/> volume).</param>
public sealed record VolumeMountSpec(string Volume, string MountPath, bool ReadOnly = false)
{
    /// <summary>Gets the path inside the volume to mount instead of its root (<c>subPath</c>, already expanded), empty for the root.</summary>
    public string SubPath { get; init; } = string.Empty;
}
