namespace DurableKube.Ports.Runtime;

/// <summary>What a container or a node used over a window, as the metrics API reports it.</summary>
/// <param name="Timestamp">When the later of the window's two samples was taken.</param>
/// <param name="Window">The time between the two samples the CPU rate is computed over.</param>
/// <param name="CpuNanoCores">The CPU rate over the window, in nanocores.</param>
/// <param name="MemoryWorkingSetBytes">The memory working set at <paramref name="Timestamp"/>, in bytes.</param>
public readonly record struct ResourceUsage(DateTimeOffset Timestamp, TimeSpan Window, ulong CpuNanoCores, ulong MemoryWorkingSetBytes);

/// <summary>One container's usage.</summary>
/// <param name="Name">The container's name in the pod spec.</param>
/// <param name="Usage">Its usage.</param>
public sealed record ContainerUsage(string Name, ResourceUsage Usage);

/// <summary>The usage of one pod's running containers.</summary>
/// <param name="PodUid">The pod's uid.</param>
/// <param name="Containers">Its running containers that have figures.</param>
public sealed record PodUsage(string PodUid, IReadOnlyList<ContainerUsage> Containers);

/// <summary>A node's usage: the machine's own and that of each pod it runs.</summary>
/// <param name="Node">The machine's usage, or <see langword="null"/> when the runtime cannot see its machine.</param>
/// <param name="Pods">The pods that have figures; a pod with none yet is left out.</param>
public sealed record NodeUsage(ResourceUsage? Node, IReadOnlyList<PodUsage> Pods);
