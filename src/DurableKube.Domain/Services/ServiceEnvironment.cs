using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>
/// The variables the kubelet gives every container for the Services it can reach (<c>getServiceEnvVarMap</c> and
/// <c>envvars.FromServices</c>): <c>WEB_SERVICE_HOST</c>, <c>WEB_SERVICE_PORT</c>, <c>WEB_PORT_80_TCP...</c>.
/// </summary>
public static class ServiceEnvironment
{
    /// <summary>Computes the variables for a pod.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="namespaceServices">The Services of the pod's namespace.</param>
    /// <param name="kubernetesService">The <c>kubernetes</c> Service of <c>default</c>, always given, if it exists.</param>
    /// <returns>The variables, sorted by name.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> For(V1Pod pod, IEnumerable<V1Service> namespaceServices, V1Service? kubernetesService)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(namespaceServices);
        var services = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        if (kubernetesService is not null)
        {
            services[kubernetesService.Metadata.Name] = kubernetesService;
        }

        if (pod.Spec?.EnableServiceLinks != false)
        {
            foreach (var service in namespaceServices)
            {
                // A Service of the pod's namespace wins over the master Service of the same name.
                services[service.Metadata.Name] = service;
            }
        }

        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in services.Values)
        {
            if (ServiceTypes.AllocatedIP(service) is not { } ip || service.Spec.Ports is not { Count: > 0 } ports)
            {
                continue;
            }

            var prefix = service.Metadata.Name.Replace('-', '_').ToUpperInvariant();
            variables[prefix + "_SERVICE_HOST"] = ip;
            variables[prefix + "_SERVICE_PORT"] = Number(ports[0].Port);
            foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
            {
                variables[prefix + "_SERVICE_PORT_" + port.Name.Replace('-', '_').ToUpperInvariant()] = Number(port.Port);
            }

            for (var i = 0; i < ports.Count; i++)
            {
                var protocol = (ports[i].Protocol ?? "TCP").ToUpperInvariant();
                var url = $"{protocol.ToLowerInvariant()}://{ip}:{Number(ports[i].Port)}";
                if (i == 0)
                {
                    variables[prefix + "_PORT"] = url;
                }

                var portPrefix = $"{prefix}_PORT_{Number(ports[i].Port)}_{protocol}";
                variables[portPrefix] = url;
                variables[portPrefix + "_PROTO"] = protocol.ToLowerInvariant();
                variables[portPrefix + "_PORT"] = Number(ports[i].Port);
                variables[portPrefix + "_ADDR"] = ip;
            }
        }

        return [.. variables];
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
