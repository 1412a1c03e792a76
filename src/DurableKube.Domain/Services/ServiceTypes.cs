using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>The words of a Service's spec and what follows from them.</summary>
public static class ServiceTypes
{
    /// <summary>A virtual address inside the cluster (the default).</summary>
    public const string ClusterIP = "ClusterIP";

    /// <summary>A ClusterIP plus a port on every node (accepted; DurableKube opens no node port).</summary>
    public const string NodePort = "NodePort";

    /// <summary>A NodePort plus an external load balancer (accepted; DurableKube provides no load balancer).</summary>
    public const string LoadBalancer = "LoadBalancer";

    /// <summary>A DNS alias of an external name: no ClusterIP, no endpoints.</summary>
    public const string ExternalName = "ExternalName";

    /// <summary>The <c>clusterIP</c> of a headless Service.</summary>
    public const string None = "None";

    /// <summary>Gets the supported types, in the order Kubernetes lists them.</summary>
    public static IReadOnlyList<string> Supported { get; } = [ClusterIP, ExternalName, LoadBalancer, NodePort];

    /// <summary>The type of a Service, ClusterIP when unset.</summary>
    /// <param name="service">The Service.</param>
    /// <returns>The type.</returns>
    public static string TypeOf(V1Service service) => service?.Spec?.Type is { Length: > 0 } type ? type : ClusterIP;

    /// <summary>Whether the Service is headless (<c>clusterIP: None</c>).</summary>
    /// <param name="service">The Service.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsHeadless(V1Service service) => service?.Spec?.ClusterIP == None;

    /// <summary>Whether the Service needs an allocated ClusterIP: not ExternalName, not headless.</summary>
    /// <param name="service">The Service.</param>
    /// <returns>Whether it does.</returns>
    public static bool NeedsClusterIP(V1Service service) => TypeOf(service) != ExternalName && !IsHeadless(service);

    /// <summary>The Service's allocated ClusterIP, or null (unset, None, or an ExternalName Service).</summary>
    /// <param name="service">The Service.</param>
    /// <returns>The address.</returns>
    public static string? AllocatedIP(V1Service service) =>
        NeedsClusterIP(service) && service.Spec?.ClusterIP is { Length: > 0 } ip ? ip : null;
}
