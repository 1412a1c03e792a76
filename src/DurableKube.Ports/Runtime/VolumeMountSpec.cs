namespace DurableKube.Ports.Runtime;

/// <summary>Where a container mounts one of its pod's volumes.</summary>
/// <param name="Volume">The volume's name.</param>
/// <param name="MountPath">The path in the container.</param>
/// <param name="ReadOnly">Whether the mount is read-only.</param>
public sealed record VolumeMountSpec(string Volume, string MountPath, bool ReadOnly = false);
