using System.Globalization;
using System.Text;
using DurableKube.Domain.Controllers;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>
/// The endpoints and EndpointSlice controllers' decisions for one Service (pkg/controller/endpoint,
/// pkg/controller/endpointslice): which selected pods are endpoints, ready or not, on which ports.
/// </summary>
public static class EndpointsSync
{
    /// <summary>The most endpoints one EndpointSlice holds (the controller's default <c>--max-endpoints-per-slice</c>).</summary>
    public const int MaxEndpointsPerSlice = 100;

    /// <summary>The label naming a slice's Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>The label naming what manages a slice.</summary>
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    /// <summary>The EndpointSlice controller's name, the value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedBy = "endpointslice-controller.k8s.io";

    /// <summary>The label naming what manages an Endpoints (pkg/controller/endpoint's <c>LabelManagedBy</c>): the EndpointSlice mirroring controller leaves those alone.</summary>
    public const string EndpointsManagedByLabel = "endpoints.kubernetes.io/managed-by";

    /// <summary>The endpoints controller's name, the value of <see cref="EndpointsManagedByLabel"/> on the Endpoints it writes.</summary>
    public const string EndpointsManagedBy = "endpoint-controller";

    /// <summary>The label on the Endpoints and slices of a headless Service.</summary>
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    /// <summary>Whether the endpoints controllers keep this Service's endpoints: it has a selector and is not ExternalName.</summary>
    /// <param name="service">The Service.</param>
    /// <returns>Whether they do (a Service without selector has user-managed Endpoints, which <see cref="EndpointSliceMirroring"/> mirrors).</returns>
    public static bool Manages(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Spec?.Selector is { Count: > 0 } && ServiceTypes.TypeOf(service) != ServiceTypes.ExternalName;
    }

    /// <summary>Whether a Service selects a pod (same namespace, every selector label).</summary>
    /// <param name="service">The Service.</param>
    /// <param name="labels">The pod's labels.</param>
    /// <returns>Whether it does.</returns>
    public static bool Selects(V1Service service, IDictionary<string, string>? labels)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Spec?.Selector is { Count: > 0 } selector
            && selector.All(p => labels is not null && labels.TryGetValue(p.Key, out var value) && value == p.Value);
    }

    /// <summary>Resolves a Service port's target on one pod (<c>podutil.FindPort</c>): a number as is, a name by the pod's container ports.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="port">The Service port.</param>
    /// <returns>The port number, or null when the pod has no container port of that name and protocol.</returns>
    public static int? FindPort(V1Pod pod, V1ServicePort port)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(port);
        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return port.Port;
        }

        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var protocol = port.Protocol ?? "TCP";
        return (pod.Spec?.Containers ?? [])
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == target && (p.Protocol ?? "TCP") == protocol)?.ContainerPort;
    }

    /// <summary>Plans a Service's Endpoints and EndpointSlices from the pods of its namespace.</summary>
    /// <param name="service">The Service (one the controllers manage).</param>
    /// <param name="pods">The pods of its namespace.</param>
    /// <returns>The plan.</returns>
    public static EndpointsPlan Plan(V1Service service, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pods);
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var servicePorts = service.Spec?.Ports ?? [];
        var members = new List<(V1Pod Pod, List<(string Name, int Port, string Protocol)> Ports)>();
        foreach (var pod in pods.Where(p => Selects(service, p.Metadata?.Labels)).OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            if (PodConditions.IsTerminal(pod) || string.IsNullOrEmpty(PodIP(pod)))
            {
                continue;
            }

            var ports = new List<(string, int, string)>();
            foreach (var port in servicePorts)
            {
                if (FindPort(pod, port) is { } number)
                {
                    ports.Add((port.Name ?? string.Empty, number, port.Protocol ?? "TCP"));
                }
            }

            if (servicePorts.Count > 0 && ports.Count == 0)
            {
                continue;
            }

            members.Add((pod, ports));
        }

        var groups = members
            .GroupBy(m => string.Join(",", m.Ports.Select(p => $"{p.Name}/{p.Port}/{p.Protocol}")), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new EndpointsPlan(BuildEndpoints(service, groups, publishNotReady), BuildSlices(service, groups, publishNotReady));
    }

    private static V1Endpoints BuildEndpoints(
        V1Service service, List<IGrouping<string, (V1Pod Pod, List<(string Name, int Port, string Protocol)> Ports)>> groups, bool publishNotReady)
    {
        var subsets = new List<V1EndpointSubset>();
        foreach (var group in groups)
        {
            var ready = new List<V1EndpointAddress>();
            var notReady = new List<V1EndpointAddress>();
            foreach (var (pod, _) in group)
            {
                var terminating = pod.Metadata?.DeletionTimestamp is not null;
                if (terminating && !publishNotReady)
                {
                    continue;
                }

                (publishNotReady || PodConditions.IsReady(pod) ? ready : notReady).Add(Address(pod));
            }

            if (ready.Count == 0 && notReady.Count == 0)
            {
                continue;
            }

            var ports = group.First().Ports;
            subsets.Add(new V1EndpointSubset
            {
                Addresses = ready.Count > 0 ? [.. ready.OrderBy(a => a.Ip, StringComparer.Ordinal)] : null,
                NotReadyAddresses = notReady.Count > 0 ? [.. notReady.OrderBy(a => a.Ip, StringComparer.Ordinal)] : null,
                Ports = ports.Count > 0
                    ? [.. ports.Select(p => new Corev1EndpointPort { Name = p.Name.Length > 0 ? p.Name : null, Port = p.Port, Protocol = p.Protocol })]
                    : null,
            });
        }

        return new V1Endpoints
        {
            ApiVersion = ResourceTypes.Endpoints.ApiVersion,
            Kind = ResourceTypes.Endpoints.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = service.Metadata.Name,
                NamespaceProperty = service.Metadata.NamespaceProperty,
                Labels = Labels(service, slice: false),
            },
            Subsets = subsets,
        };
    }

    private static List<V1EndpointSlice> BuildSlices(
        V1Service service, List<IGrouping<string, (V1Pod Pod, List<(string Name, int Port, string Protocol)> Ports)>> groups, bool publishNotReady)
    {
        var slices = new List<V1EndpointSlice>();
        foreach (var group in groups)
        {
            var endpoints = group.Select(m => Endpoint(m.Pod, publishNotReady)).OrderBy(e => e.Addresses[0], StringComparer.Ordinal).ToList();
            var ports = group.First().Ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol }).ToList();
            for (var chunk = 0; chunk * MaxEndpointsPerSlice < endpoints.Count; chunk++)
            {
                slices.Add(Slice(service, group.Key, chunk, [.. endpoints.Skip(chunk * MaxEndpointsPerSlice).Take(MaxEndpointsPerSlice)], ports));
            }
        }

        if (slices.Count == 0)
        {
            // A Service that selects no pod keeps one empty slice (the controller's placeholder).
            slices.Add(Slice(service, string.Empty, 0, [], []));
        }

        return slices;
    }

    private static V1EndpointSlice Slice(V1Service service, string key, int chunk, List<V1Endpoint> endpoints, List<Discoveryv1EndpointPort> ports) => new()
    {
        ApiVersion = ResourceTypes.EndpointSlices.ApiVersion,
        Kind = ResourceTypes.EndpointSlices.Kind,
        Metadata = new V1ObjectMeta
        {
            Name = SliceName(service.Metadata, key, chunk),
            NamespaceProperty = service.Metadata.NamespaceProperty,
            Labels = Labels(service, slice: true),
            OwnerReferences = [OwnerReferences.NewControllerRef(ResourceTypes.Services.ApiVersion, ResourceTypes.Services.Kind, service.Metadata)],
        },
        AddressType = "IPv4",
        Endpoints = endpoints,
        Ports = ports,
    };

    /// <summary>A slice's name: its owner's name and a hash of the owner's uid, the port set and the chunk, so every sync names it alike.</summary>
    /// <param name="owner">The slice's owner (the Service, or the Endpoints a slice mirrors).</param>
    /// <param name="key">What tells the owner's slices apart (their ports, address type).</param>
    /// <param name="chunk">Which slice of that key.</param>
    /// <returns>The name.</returns>
    internal static string SliceName(V1ObjectMeta owner, string key, int chunk)
    {
        var prefix = owner.Name.Length > 57 ? owner.Name[..57] : owner.Name;
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes($"{owner.Uid}|{key}|{chunk.ToString(CultureInfo.InvariantCulture)}"))
        {
            hash = (hash ^ b) * 16777619u;
        }

        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var suffix = new StringBuilder(5);
        for (var i = 0; i < 5; i++)
        {
            suffix.Append(Alphabet[(int)(hash % (uint)Alphabet.Length)]);
            hash /= (uint)Alphabet.Length;
        }

        return $"{prefix}-{suffix}";
    }

    private static Dictionary<string, string> Labels(V1Service service, bool slice)
    {
        var labels = new Dictionary<string, string>(service.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (ServiceTypes.IsHeadless(service))
        {
            labels[HeadlessLabel] = string.Empty;
        }

        if (slice)
        {
            labels[ServiceNameLabel] = service.Metadata.Name;
            labels[ManagedByLabel] = ManagedBy;
        }
        else
        {
            labels[EndpointsManagedByLabel] = EndpointsManagedBy;
        }

        return labels;
    }

    private static V1EndpointAddress Address(V1Pod pod) => new()
    {
        Ip = PodIP(pod),
        NodeName = pod.Spec?.NodeName,
        TargetRef = TargetRef(pod),
    };

    private static V1Endpoint Endpoint(V1Pod pod, bool publishNotReady)
    {
        var serving = publishNotReady || PodConditions.IsReady(pod);
        var terminating = pod.Metadata?.DeletionTimestamp is not null;
        return new V1Endpoint
        {
            Addresses = [PodIP(pod)],
            Conditions = new V1EndpointConditions { Ready = publishNotReady || (serving && !terminating), Serving = serving, Terminating = terminating },
            NodeName = pod.Spec?.NodeName,
            TargetRef = TargetRef(pod),
        };
    }

    private static V1ObjectReference TargetRef(V1Pod pod) => new()
    {
        Kind = "Pod",
        NamespaceProperty = pod.Metadata?.NamespaceProperty,
        Name = pod.Metadata?.Name,
        Uid = pod.Metadata?.Uid,
    };

    private static string PodIP(V1Pod pod) =>
        pod.Status?.PodIPs is { Count: > 0 } ips ? ips[0].Ip : pod.Status?.PodIP ?? string.Empty;
}
