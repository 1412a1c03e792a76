using DurableKube.Runtime.Process.Volumes;

namespace DurableKube.Runtime.Process.State;

/// <summary>A pod's sandbox as created.</summary>
/// <param name="PodUid">The pod's uid.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name.</param>
/// <param name="NodeName">The node.</param>
/// <param name="CreatedAt">When the sandbox was created.</param>
/// <param name="PodIP">The pod's own loopback address (absent in records written before pods had one: 127.0.0.1).</param>
/// <param name="Volumes">The pod's volumes as placed (absent in records written before volumes: none).</param>
internal sealed record SandboxRecord(
    string PodUid, string Namespace, string PodName, string NodeName, DateTimeOffset CreatedAt, string? PodIP = null,
    IReadOnlyList<VolumeRecord>? Volumes = null);
