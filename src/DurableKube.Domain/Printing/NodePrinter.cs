using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get nodes</c> shows (printers.go, printNode).</summary>
public static class NodePrinter
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string RoleLabel = "kubernetes.io/role";

    /// <summary>Gets the Table columns for nodes.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        new("Name", "string", "name", 0, "Name must be unique within a namespace."),
        new("Status", "string", string.Empty, 0, "The status of the node"),
        new("Roles", "string", string.Empty, 0, "The roles of the node"),
        new("Age", "string", string.Empty, 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        new("Version", "string", string.Empty, 0, "Kubelet Version reported by the node."),
        new("Internal-IP", "string", string.Empty, 1, "List of addresses reachable to the node."),
        new("External-IP", "string", string.Empty, 1, "List of addresses reachable to the node."),
        new("OS-Image", "string", string.Empty, 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        new("Kernel-Version", "string", string.Empty, 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        new("Container-Runtime", "string", string.Empty, 1, "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    /// <summary>Computes the row of a node.</summary>
    /// <param name="node">The node.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The row.</returns>
    public static NodeRow Print(V1Node node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        var status = new List<string>();

        // Only the Ready condition counts; the last one of that type wins, as in a map keyed by type.
        var ready = node.Status?.Conditions?.LastOrDefault(c => c.Type == "Ready");
        status.Add(ready is null ? "Unknown" : ready.Status == "True" ? "Ready" : "NotReady");
        if (node.Spec?.Unschedulable == true)
        {
            status.Add("SchedulingDisabled");
        }

        var roles = (node.Metadata?.Labels ?? new Dictionary<string, string>())
            .Select(label => label.Key.StartsWith(RolePrefix, StringComparison.Ordinal) ? label.Key[RolePrefix.Length..]
                : label.Key == RoleLabel ? label.Value
                : null)
            .Where(role => !string.IsNullOrEmpty(role))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var info = node.Status?.NodeInfo;
        return new NodeRow(
            node.Metadata?.Name ?? string.Empty,
            string.Join(",", status),
            roles.Count == 0 ? "<none>" : string.Join(",", roles),
            HumanDuration.Since(node.Metadata?.CreationTimestamp, now),
            info?.KubeletVersion ?? string.Empty,
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            OrUnknown(info?.OsImage),
            OrUnknown(info?.KernelVersion),
            OrUnknown(info?.ContainerRuntimeVersion));
    }

    private static string Address(V1Node node, string type) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == type)?.Address ?? "<none>";

    private static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;
}
