using System.Globalization;
using System.Text.Json.Nodes;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>The kinds of the core API group (<c>v1</c>) this server serves.</summary>
public static class CoreKinds
{
    /// <summary>Gets Pods: the kubelet's workflow runs each one (pkg/registry/core/pod).</summary>
    public static KindDescriptor Pods { get; } = new(new PodStrategy())
    {
        Categories = ["all"],
        Printer = TablePrinter.For<V1Pod>(
            PodPrinter.Columns,
            (pod, now) => PodPrinter.Print(pod, now).Cells(wide: true),
            pod => pod.Status?.Phase switch
            {
                "Succeeded" => Completed("Succeeded", "The pod has completed successfully."),
                "Failed" => Completed("Failed", "The pod failed."),
                _ => null,
            }),
        Fields = obj => PodFields((V1Pod)obj),
        Subresources = [Subresource.Status, Subresource.Log, Subresource.Binding, Subresource.EphemeralContainers, Subresource.Exec, Subresource.Attach, Subresource.PortForward, Subresource.Proxy, Subresource.Eviction],
        CollectsDependents = false,
    };

    /// <summary>Gets Namespaces: deleting one removes what it holds (pkg/registry/core/namespace).</summary>
    public static KindDescriptor Namespaces { get; } = new(new NamespaceStrategy())
    {
        Printer = TablePrinter.For<V1Namespace>(NamespacePrinter.Columns, (ns, now) => NamespacePrinter.Print(ns, now).Cells()),
        Fields = obj => [("status.phase", ((V1Namespace)obj).Status?.Phase), ("name", obj.Metadata?.Name)],
        Subresources = [Subresource.Status, Subresource.Finalize],
        CollectsDependents = false,
    };

    /// <summary>Gets Nodes: each node agent registers its node and keeps it Ready (pkg/registry/core/node).</summary>
    public static KindDescriptor Nodes { get; } = new(new NodeStrategy())
    {
        Printer = TablePrinter.For<V1Node>(NodePrinter.Columns, (node, now) => NodePrinter.Print(node, now).Cells(wide: true)),
        Fields = obj => [("spec.unschedulable", (((V1Node)obj).Spec?.Unschedulable ?? false) ? "true" : "false")],
        Subresources = [Subresource.Status],
        CollectsDependents = false,
    };

    /// <summary>Gets Services: a ClusterIP from the allocator, endpoints from their controller, a proxy route (pkg/registry/core/service).</summary>
    public static KindDescriptor Services { get; } = new(new ServiceStrategy())
    {
        Categories = ["all"],
        Printer = TablePrinter.For<V1Service>(ServicePrinter.Columns, ServicePrinter.Cells),
        Subresources = [Subresource.Status, Subresource.Proxy],
    };

    /// <summary>Gets Endpoints: the endpoints controller keeps those of Services with a selector (pkg/registry/core/endpoint).</summary>
    public static KindDescriptor Endpoints { get; } = new(new ObjectStrategy(ResourceTypes.Endpoints))
    {
        Printer = TablePrinter.For<V1Endpoints>(ServicePrinter.EndpointsColumns, ServicePrinter.EndpointsCells),
        CollectsDependents = false,
    };

    /// <summary>Gets ConfigMaps: pods read them as environment variables and files (pkg/registry/core/configmap).</summary>
    public static KindDescriptor ConfigMaps { get; } = new(new ConfigMapStrategy())
    {
        Printer = TablePrinter.For<V1ConfigMap>(ConfigPrinter.ConfigMapColumns, ConfigPrinter.ConfigMapCells),
        CollectsDependents = false,
    };

    /// <summary>Gets Secrets: like ConfigMaps, for sensitive data, and the credentials of image registries (pkg/registry/core/secret).</summary>
    public static KindDescriptor Secrets { get; } = new(new SecretStrategy())
    {
        Printer = TablePrinter.For<V1Secret>(ConfigPrinter.SecretColumns, ConfigPrinter.SecretCells),
        Fields = obj => [("type", ((V1Secret)obj).Type)],
        CollectsDependents = false,
    };

    /// <summary>Gets every core kind.</summary>
    public static IReadOnlyList<KindDescriptor> All { get; } = [Pods, Namespaces, Nodes, Services, Endpoints, ConfigMaps, Secrets];

    private static IEnumerable<(string, string?)> PodFields(V1Pod pod)
    {
        yield return ("spec.nodeName", pod.Spec?.NodeName);
        yield return ("spec.restartPolicy", pod.Spec?.RestartPolicy);
        yield return ("spec.schedulerName", pod.Spec?.SchedulerName);
        yield return ("spec.serviceAccountName", pod.Spec?.ServiceAccountName);
        yield return ("spec.hostNetwork", (pod.Spec?.HostNetwork ?? false).ToString(CultureInfo.InvariantCulture).ToLowerInvariant());
        yield return ("status.phase", pod.Status?.Phase);
        yield return ("status.podIP", pod.Status?.PodIPs is { Count: > 0 } ips ? ips[0].Ip : pod.Status?.PodIP);
        yield return ("status.nominatedNodeName", pod.Status?.NominatedNodeName);
    }

    private static JsonArray Completed(string reason, string message) =>
        [new JsonObject { ["type"] = "Completed", ["status"] = "True", ["reason"] = reason, ["message"] = message }];
}
