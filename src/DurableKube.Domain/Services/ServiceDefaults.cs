using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>The API server's defaulting of a Service (<c>SetDefaults_Service</c> and the registry's normalization).</summary>
public static class ServiceDefaults
{
    /// <summary>Applies the defaults in place.</summary>
    /// <param name="service">The Service.</param>
    public static void Apply(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ??= new V1ServiceSpec();
        if (string.IsNullOrEmpty(spec.Type))
        {
            spec.Type = ServiceTypes.ClusterIP;
        }

        if (string.IsNullOrEmpty(spec.SessionAffinity))
        {
            spec.SessionAffinity = "None";
        }

        foreach (var port in spec.Ports ?? [])
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }

            if (port.TargetPort?.Value is null or "" or "0")
            {
                port.TargetPort = port.Port;
            }
        }

        if (spec.Type != ServiceTypes.ExternalName && string.IsNullOrEmpty(spec.InternalTrafficPolicy))
        {
            spec.InternalTrafficPolicy = "Cluster";
        }

        if (spec.Type is ServiceTypes.NodePort or ServiceTypes.LoadBalancer && string.IsNullOrEmpty(spec.ExternalTrafficPolicy))
        {
            spec.ExternalTrafficPolicy = "Cluster";
        }

        // clusterIP and clusterIPs say the same thing: either fills the other (normalizeClusterIPs).
        if (string.IsNullOrEmpty(spec.ClusterIP) && spec.ClusterIPs is { Count: > 0 } ips)
        {
            spec.ClusterIP = ips[0];
        }
        else if (!string.IsNullOrEmpty(spec.ClusterIP) && spec.ClusterIPs is not { Count: > 0 })
        {
            spec.ClusterIPs = [spec.ClusterIP];
        }

        if (spec.Type != ServiceTypes.ExternalName)
        {
            spec.IpFamilies ??= ["IPv4"];
            spec.IpFamilyPolicy ??= "SingleStack";
        }
    }
}
