namespace DurableKube.Domain.Printing;

/// <summary>The cells of one node in <c>kubectl get nodes</c> (the wide ones too).</summary>
/// <param name="Name">NAME.</param>
/// <param name="Status">STATUS: <c>Ready</c>, <c>NotReady</c> or <c>Unknown</c>, with <c>,SchedulingDisabled</c> when cordoned.</param>
/// <param name="Roles">ROLES from the <c>node-role.kubernetes.io/&lt;role&gt;</c> and <c>kubernetes.io/role</c> labels, or <c>&lt;none&gt;</c>.</param>
/// <param name="Age">AGE.</param>
/// <param name="Version">VERSION: the kubelet's.</param>
/// <param name="InternalIp">INTERNAL-IP (wide), or <c>&lt;none&gt;</c>.</param>
/// <param name="ExternalIp">EXTERNAL-IP (wide), or <c>&lt;none&gt;</c>.</param>
/// <param name="OsImage">OS-IMAGE (wide), or <c>&lt;unknown&gt;</c>.</param>
/// <param name="KernelVersion">KERNEL-VERSION (wide), or <c>&lt;unknown&gt;</c>.</param>
/// <param name="ContainerRuntime">CONTAINER-RUNTIME (wide), or <c>&lt;unknown&gt;</c>.</param>
public sealed record NodeRow(
    string Name,
    string Status,
    string Roles,
    string Age,
    string Version,
    string InternalIp,
    string ExternalIp,
    string OsImage,
    string KernelVersion,
    string ContainerRuntime)
{
    /// <summary>Gets the cells in column order.</summary>
    /// <param name="wide">Whether to include the <c>-o wide</c> cells.</param>
    /// <returns>The cells, matching <see cref="NodePrinter.Columns"/>.</returns>
    public IReadOnlyList<object> Cells(bool wide) => wide
        ? [Name, Status, Roles, Age, Version, InternalIp, ExternalIp, OsImage, KernelVersion, ContainerRuntime]
        : [Name, Status, Roles, Age, Version];
}
