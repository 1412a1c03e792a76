using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Volumes;

/// <summary>A pod volume as the runtime placed it, kept in the sandbox record so a container's mounts find it.</summary>
/// <param name="Name">The volume's name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Source">Where its content is on this machine: the volume's folder under the pod, or the host path.</param>
/// <param name="InMemory">Whether the folder is a tmpfs this runtime mounted (unmounted when the sandbox is removed).</param>
internal sealed record VolumeRecord(string Name, SandboxVolumeKind Kind, string Source, bool InMemory = false);
