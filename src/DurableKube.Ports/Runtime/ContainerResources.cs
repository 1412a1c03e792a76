namespace DurableKube.Ports.Runtime;

/// <summary>A container's resource requests and limits, in the units runtimes use.</summary>
/// <param name="CpuRequestMillis">The CPU request in millicores.</param>
/// <param name="CpuLimitMillis">The CPU limit in millicores.</param>
/// <param name="MemoryRequestBytes">The memory request in bytes.</param>
/// <param name="MemoryLimitBytes">The memory limit in bytes.</param>
public sealed record ContainerResources(long? CpuRequestMillis, long? CpuLimitMillis, long? MemoryRequestBytes, long? MemoryLimitBytes)
{
    /// <summary>Gets resources with nothing requested or limited.</summary>
    public static ContainerResources None { get; } = new(null, null, null, null);
}
