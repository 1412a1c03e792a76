using System.Globalization;
using DurableKube.Ports.Runtime;
using k8s.Models;
using DurableKube.Domain.Serialization;

namespace DurableKube.Workflows.Nodes;

/// <summary>Builds the Node object a node agent registers and refreshes, as a kubelet would report it.</summary>
public static class NodeObject
{
    /// <summary>The kubelet version nodes report; kubectl shows it as VERSION.</summary>
    public const string KubeletVersion = "v1.33.0";

    /// <summary>Creates the node as first registered, with the labels and taints configured for it.</summary>
    /// <param name="node">The node and its settings.</param>
    /// <param name="description">What the runtime says about it.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The node.</returns>
    public static V1Node Create(NodeRuntime node, NodeDescription description, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        var created = Create(node.Name, description, now);
        foreach (var (key, value) in node.Labels)
        {
            created.Metadata.Labels[key] = value;
        }

        created.Spec.Taints = node.Taints.Count == 0 ? null : node.Taints.ToList();
        return created;
    }

    /// <summary>Creates the node as first registered.</summary>
    /// <param name="name">The node's name.</param>
    /// <param name="description">What the runtime says about it.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The node.</returns>
    public static V1Node Create(string name, NodeDescription description, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(description);
        var node = new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/hostname"] = name,
                    ["kubernetes.io/os"] = description.OperatingSystem,
                    ["kubernetes.io/arch"] = description.Architecture,
                    ["beta.kubernetes.io/os"] = description.OperatingSystem,
                    ["beta.kubernetes.io/arch"] = description.Architecture,
                },
            },
            Spec = new V1NodeSpec(),
        };
        Refresh(node, description, now);
        return node;
    }

    /// <summary>
    /// Sets what a runtime reports as the node's pod capacity to the kubelet's <c>maxPods</c>, when one is configured:
    /// the kubelet reports it as both capacity and allocatable.
    /// </summary>
    /// <param name="description">What the runtime says about the node.</param>
    /// <param name="maxPods">The configured maximum, or <see langword="null"/> to keep the runtime's.</param>
    /// <returns>The description with that pod capacity.</returns>
    public static NodeDescription WithMaxPods(NodeDescription description, int? maxPods)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (maxPods is not { } pods)
        {
            return description;
        }

        var count = pods.ToString(CultureInfo.InvariantCulture);
        return description with
        {
            Capacity = new Dictionary<string, string>(description.Capacity, StringComparer.Ordinal) { ["pods"] = count },
            Allocatable = description.Allocatable is { } allocatable
                ? new Dictionary<string, string>(allocatable, StringComparer.Ordinal) { ["pods"] = count }
                : null,
        };
    }

    /// <summary>Refreshes a node's status: capacity and allocatable, addresses, node info, and the Ready condition's heartbeat.</summary>
    /// <param name="node">The node, changed in place.</param>
    /// <param name="description">What the runtime says about it now.</param>
    /// <param name="now">The current time.</param>
    public static void Refresh(V1Node node, NodeDescription description, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(description);
        var old = node.Status?.Conditions ?? [];
        var capacity = description.Capacity.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value));
        node.Status = new V1NodeStatus
        {
            Capacity = capacity,
            Allocatable = description.Allocatable is { } allocatable
                ? allocatable.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value))
                : new Dictionary<string, ResourceQuantity>(capacity),
            Addresses =
            [
                new V1NodeAddress { Type = "InternalIP", Address = description.InternalIP },
                new V1NodeAddress { Type = "Hostname", Address = description.Hostname },
            ],
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = description.Architecture,
                BootID = string.Empty,
                ContainerRuntimeVersion = description.ContainerRuntimeVersion,
                KernelVersion = description.KernelVersion,
                KubeProxyVersion = string.Empty,
                KubeletVersion = KubeletVersion,
                MachineID = string.Empty,
                OperatingSystem = description.OperatingSystem,
                OsImage = description.OsImage,
                SystemUUID = string.Empty,
            },
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 0 } },
            Conditions =
            [
                Condition(old, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                Condition(old, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                Condition(old, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                Condition(old, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
            ],
        };
    }

    private static V1NodeCondition Condition(IList<V1NodeCondition> old, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var previous = old.FirstOrDefault(c => c.Type == type);
        var at = KubeTime.Truncate(now);
        return new V1NodeCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastHeartbeatTime = at,
            LastTransitionTime = previous?.Status == status ? previous.LastTransitionTime : at,
        };
    }

    /// <summary>Formats a count of bytes as a Kubernetes quantity in Ki.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>e.g. <c>24576000Ki</c>.</returns>
    public static string Kibibytes(long bytes) => (bytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki";
}
