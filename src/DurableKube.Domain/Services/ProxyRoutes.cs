using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>One address a service proxy listens on, and where it forwards to.</summary>
/// <param name="ClusterIP">The Service's ClusterIP.</param>
/// <param name="Port">The Service port.</param>
/// <param name="Service">The Service, <c>namespace/name:port-name</c>, for the log.</param>
/// <param name="Backends">The ready endpoints, <c>ip:port</c>, in a stable order.</param>
public sealed record ProxyRoute(string ClusterIP, int Port, string Service, IReadOnlyList<(string IP, int Port)> Backends);

/// <summary>
/// What kube-proxy's userspace mode listens on and forwards to: every TCP port of every Service with a ClusterIP,
/// to the ready addresses of the Service's Endpoints for the port of that name.
/// </summary>
public static class ProxyRoutes
{
    /// <summary>Computes the routes.</summary>
    /// <param name="services">Every Service.</param>
    /// <param name="endpoints">Every Endpoints.</param>
    /// <returns>One route per ClusterIP and TCP port.</returns>
    public static IReadOnlyList<ProxyRoute> Plan(IEnumerable<V1Service> services, IEnumerable<V1Endpoints> endpoints)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoints);
        var byName = endpoints
            .Where(e => e.Metadata?.Name is not null)
            .GroupBy(e => (e.Metadata.NamespaceProperty, e.Metadata.Name))
            .ToDictionary(g => g.Key, g => g.First());
        var routes = new List<ProxyRoute>();
        foreach (var service in services)
        {
            if (ServiceTypes.AllocatedIP(service) is not { } ip)
            {
                continue;
            }

            byName.TryGetValue((service.Metadata.NamespaceProperty, service.Metadata.Name), out var found);
            foreach (var port in (service.Spec.Ports ?? []).Where(p => (p.Protocol ?? "TCP") == "TCP"))
            {
                var name = port.Name ?? string.Empty;
                var backends = (found?.Subsets ?? [])
                    .SelectMany(s => (s.Ports ?? []).Where(p => (p.Name ?? string.Empty) == name && (p.Protocol ?? "TCP") == "TCP")
                        .SelectMany(p => (s.Addresses ?? []).Select(a => (a.Ip, p.Port))))
                    .Distinct()
                    .OrderBy(b => b.Ip, StringComparer.Ordinal)
                    .ThenBy(b => b.Port)
                    .ToList();
                routes.Add(new ProxyRoute(ip, port.Port, $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}:{name}", backends));
            }
        }

        return routes;
    }
}
