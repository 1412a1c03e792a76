using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>
/// The EndpointSlice mirroring controller's decisions (pkg/controller/endpointslicemirroring): a Service without a
/// selector keeps the Endpoints its user writes, and that Endpoints is mirrored into EndpointSlices, one per set of
/// ports and address type, owned by the Endpoints.
/// </summary>
public static class EndpointSliceMirroring
{
    /// <summary>The most addresses mirrored from one subset, and held by one mirrored slice (the controller's default <c>--mirroring-max-endpoints-per-subset</c>).</summary>
    public const int MaxEndpointsPerSubset = 1000;

    /// <summary>The mirroring controller's name, the value of <see cref="EndpointsSync.ManagedByLabel"/> on the slices it keeps.</summary>
    public const string ManagedBy = "endpointslicemirroring-controller.k8s.io";

    /// <summary>The label with which an Endpoints asks not to be mirrored (value <c>"true"</c>).</summary>
    public const string SkipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror";

    /// <summary>The annotation of a leader-election record kept in an Endpoints (client-go's resourcelock), never mirrored.</summary>
    public const string LeaderElectionAnnotation = "control-plane.alpha.kubernetes.io/leader";

    /// <summary>The annotations an Endpoints does not pass on to its slices (<c>v1.EndpointsLastChangeTriggerTime</c>, <c>v1.LastAppliedConfigAnnotation</c>).</summary>
    public static IReadOnlyList<string> AnnotationsNotMirrored { get; } =
        ["endpoints.kubernetes.io/last-change-trigger-time", "kubectl.kubernetes.io/last-applied-configuration"];

    /// <summary>Whether a Service's Endpoints are its user's, to mirror: it has no selector.</summary>
    /// <param name="service">The Service.</param>
    /// <returns>Whether they are.</returns>
    public static bool Mirrors(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Spec?.Selector is not { Count: > 0 };
    }

    /// <summary>
    /// Whether an Endpoints may be mirrored (the controller's <c>shouldMirror</c>): not labelled skip-mirror, not a
    /// leader-election record, not written by the endpoints controller (<see cref="EndpointsSync.EndpointsManagedByLabel"/>).
    /// Whether its Service has no selector is asked apart (<see cref="Mirrors"/>).
    /// </summary>
    /// <param name="endpoints">The Endpoints, or <see langword="null"/>.</param>
    /// <returns>Whether it may.</returns>
    public static bool ShouldMirror(V1Endpoints? endpoints)
    {
        if (endpoints?.Metadata is not { } meta)
        {
            return false;
        }

        return !(meta.Labels?.TryGetValue(SkipMirrorLabel, out var skip) == true && skip == "true")
            && !(meta.Labels?.TryGetValue(EndpointsSync.EndpointsManagedByLabel, out var managedBy) == true && managedBy == EndpointsSync.EndpointsManagedBy)
            && meta.Annotations?.ContainsKey(LeaderElectionAnnotation) != true;
    }

    /// <summary>
    /// Plans the slices mirroring an Endpoints (the reconciler's desired state): the addresses of every subset (at most
    /// <see cref="MaxEndpointsPerSubset"/> each, ready ones first) as ready endpoints, its notReadyAddresses as not ready,
    /// grouped by the subset's ports and the address type, one slice of at most <see cref="MaxEndpointsPerSubset"/>
    /// endpoints per group. Addresses that are not IPs are skipped.
    /// </summary>
    /// <param name="endpoints">The Endpoints (one <see cref="ShouldMirror"/> accepts, whose Service <see cref="Mirrors"/>).</param>
    /// <returns>The plan: no slice for an Endpoints without addresses.</returns>
    public static MirrorPlan Plan(V1Endpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var groups = new Dictionary<string, (List<Discoveryv1EndpointPort> Ports, string AddressType, List<V1Endpoint> Endpoints, HashSet<string> Seen)>(StringComparer.Ordinal);
        var order = new List<string>();
        var invalid = 0;
        var skipped = 0;
        foreach (var subset in endpoints.Subsets ?? [])
        {
            var ports = (subset.Ports ?? []).Select(p => new Discoveryv1EndpointPort
            {
                Name = p.Name ?? string.Empty,
                Port = p.Port,
                Protocol = p.Protocol ?? "TCP",
                AppProtocol = p.AppProtocol,
            }).ToList();
            var portsKey = string.Join(",", ports.Select(p => $"{p.Name}/{p.Port}/{p.Protocol}/{p.AppProtocol}").Order(StringComparer.Ordinal));
            var addresses = (subset.Addresses ?? []).Select(a => (Address: a, Ready: true))
                .Concat((subset.NotReadyAddresses ?? []).Select(a => (Address: a, Ready: false)))
                .ToList();
            var added = 0;
            foreach (var (address, ready) in addresses)
            {
                if (added >= MaxEndpointsPerSubset)
                {
                    break;
                }

                if (Normalize(address.Ip) is not { } ip)
                {
                    invalid++;
                    continue;
                }

                added++;
                var addressType = ip.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4";
                var key = $"{addressType}|{portsKey}";
                if (!groups.TryGetValue(key, out var group))
                {
                    group = (ports, addressType, [], new HashSet<string>(StringComparer.Ordinal));
                    groups[key] = group;
                    order.Add(key);
                }

                var endpoint = Endpoint(address, ip, ready);
                if (group.Seen.Add(Identity(endpoint)))
                {
                    group.Endpoints.Add(endpoint);
                }
            }

            skipped += addresses.Count - added;
        }

        var slices = order
            .Select(key => (Key: key, Group: groups[key]))
            .Select(g => Slice(endpoints, g.Key, g.Group.AddressType, g.Group.Ports, [.. g.Group.Endpoints.Take(MaxEndpointsPerSubset).OrderBy(e => e.Addresses[0], StringComparer.Ordinal).ThenByDescending(e => e.Conditions.Ready)]))
            .OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        return new MirrorPlan(slices, invalid, skipped);
    }

    /// <summary>An address as the controller writes it (<c>netutils.ParseIPSloppy</c>, then its string), or null when it is no IP.</summary>
    /// <param name="address">The address of the Endpoints.</param>
    /// <returns>The canonical address: IPv4 in dotted decimal (leading zeros read as decimal), IPv6 compressed.</returns>
    public static string? Normalize(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }

        if (!address.Contains(':', StringComparison.Ordinal))
        {
            var parts = address.Split('.');
            if (parts.Length != 4)
            {
                return null;
            }

            var octets = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (parts[i].Length is 0 or > 3 || !parts[i].All(char.IsAsciiDigit)
                    || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out octets[i]))
                {
                    return null;
                }
            }

            return new IPAddress(octets).ToString();
        }

        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString();
    }

    private static V1Endpoint Endpoint(V1EndpointAddress address, string ip, bool ready) => new()
    {
        Addresses = [ip],
        Conditions = new V1EndpointConditions { Ready = ready },
        Hostname = string.IsNullOrEmpty(address.Hostname) ? null : address.Hostname,
        NodeName = address.NodeName,
        TargetRef = address.TargetRef,
    };

    private static string Identity(V1Endpoint endpoint) =>
        $"{endpoint.Addresses[0]}|{endpoint.Conditions.Ready}|{endpoint.Hostname}|{endpoint.NodeName}|{endpoint.TargetRef?.Kind}/{endpoint.TargetRef?.NamespaceProperty}/{endpoint.TargetRef?.Name}/{endpoint.TargetRef?.Uid}";

    private static V1EndpointSlice Slice(V1Endpoints endpoints, string key, string addressType, List<Discoveryv1EndpointPort> ports, List<V1Endpoint> members)
    {
        var meta = endpoints.Metadata;
        var labels = new Dictionary<string, string>(meta.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [EndpointsSync.ServiceNameLabel] = meta.Name,
            [EndpointsSync.ManagedByLabel] = ManagedBy,
        };
        var annotations = (meta.Annotations ?? new Dictionary<string, string>())
            .Where(a => !AnnotationsNotMirrored.Contains(a.Key, StringComparer.Ordinal))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return new V1EndpointSlice
        {
            ApiVersion = ResourceTypes.EndpointSlices.ApiVersion,
            Kind = ResourceTypes.EndpointSlices.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = EndpointsSync.SliceName(meta, key, 0),
                NamespaceProperty = meta.NamespaceProperty,
                Labels = labels,
                Annotations = annotations.Count > 0 ? annotations : null,
                OwnerReferences = [OwnerReferences.NewControllerRef(ResourceTypes.Endpoints.ApiVersion, ResourceTypes.Endpoints.Kind, meta)],
            },
            AddressType = addressType,
            Endpoints = members,
            Ports = ports,
        };
    }
}
