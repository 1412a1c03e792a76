namespace DurableKube.Ports.Runtime;

/// <summary>What a runtime says about the node it runs containers on.</summary>
/// <param name="Hostname">The node's host name.</param>
/// <param name="InternalIP">The node's address.</param>
/// <param name="Capacity">Resource capacity in Kubernetes quantities: <c>cpu</c>, <c>memory</c>, <c>pods</c>, <c>ephemeral-storage</c>.</param>
/// <param name="OperatingSystem">e.g. <c>linux</c>.</param>
/// <param name="Architecture">e.g. <c>amd64</c>.</param>
/// <param name="KernelVersion">The kernel version.</param>
/// <param name="OsImage">A description of the operating system.</param>
/// <param name="ContainerRuntimeVersion">e.g. <c>process://1.0.0</c>.</param>
/// <param name="Allocatable">
/// What pods may request of the capacity, once the node's reserves are set aside (a kubelet's
/// <c>status.allocatable</c>); <see langword="null"/> if nothing is reserved, i.e. the capacity.
/// </param>
public sealed record NodeDescription(
    string Hostname,
    string InternalIP,
    IReadOnlyDictionary<string, string> Capacity,
    string OperatingSystem,
    string Architecture,
    string KernelVersion,
    string OsImage,
    string ContainerRuntimeVersion,
    IReadOnlyDictionary<string, string>? Allocatable = null);
