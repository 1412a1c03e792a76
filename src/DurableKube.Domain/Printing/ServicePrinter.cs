using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get services</c>, <c>endpoints</c> and <c>endpointslices</c> show (printers.go).</summary>
public static class ServicePrinter
{
    /// <summary>Gets the Table columns for Services.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Type", "string", string.Empty, 0, "The type of the service."),
        new("Cluster-IP", "string", string.Empty, 0, "The cluster IP of the service."),
        new("External-IP", "string", string.Empty, 0, "The external IP of the service."),
        new("Port(s)", "string", string.Empty, 0, "The ports of the service."),
        TablePrinter.AgeColumn,
        new("Selector", "string", string.Empty, 1, "Route service traffic to pods with label keys and values matching this selector."),
    ];

    /// <summary>Gets the Table columns for Endpoints.</summary>
    public static IReadOnlyList<PrinterColumn> EndpointsColumns { get; } =
    [
        TablePrinter.NameColumn,
        new("Endpoints", "string", string.Empty, 0, "Endpoints of the resource."),
        TablePrinter.AgeColumn,
    ];

    /// <summary>Gets the Table columns for EndpointSlices.</summary>
    public static IReadOnlyList<PrinterColumn> EndpointSliceColumns { get; } =
    [
        TablePrinter.NameColumn,
        new("AddressType", "string", string.Empty, 0, "The address type of the endpoint slice."),
        new("Ports", "string", string.Empty, 0, "The ports of the endpoint slice."),
        new("Endpoints", "string", string.Empty, 0, "The endpoints of the endpoint slice."),
        TablePrinter.AgeColumn,
    ];

    /// <summary>Computes the row of a Service (<c>printService</c>).</summary>
    /// <param name="service">The Service.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells, wide ones included.</returns>
    public static IReadOnlyList<object> Cells(V1Service service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ?? new V1ServiceSpec();
        var type = spec.Type ?? "ClusterIP";
        return
        [
            service.Metadata?.Name ?? string.Empty,
            type,
            string.IsNullOrEmpty(spec.ClusterIP) ? "<none>" : spec.ClusterIP,
            ExternalIP(service, type),
            Ports(spec.Ports),
            HumanDuration.Since(service.Metadata?.CreationTimestamp, now),
            spec.Selector is { Count: > 0 } selector ? string.Join(",", selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "<none>",
        ];
    }

    /// <summary>Computes the row of an Endpoints (<c>printEndpoints</c>).</summary>
    /// <param name="endpoints">The Endpoints.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<object> EndpointsCells(V1Endpoints endpoints, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return [endpoints.Metadata?.Name ?? string.Empty, FormatEndpoints(endpoints), HumanDuration.Since(endpoints.Metadata?.CreationTimestamp, now)];
    }

    /// <summary>Computes the row of an EndpointSlice (<c>printEndpointSlice</c>).</summary>
    /// <param name="slice">The EndpointSlice.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<object> EndpointSliceCells(V1EndpointSlice slice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(slice);
        var ports = (slice.Ports ?? []).Select(p => p.Port is { } n ? n.ToString(CultureInfo.InvariantCulture) : p.Name ?? "*");
        var addresses = (slice.Endpoints ?? []).SelectMany(e => e.Addresses ?? []);
        return
        [
            slice.Metadata?.Name ?? string.Empty,
            slice.AddressType ?? string.Empty,
            ListWithMore(ports),
            ListWithMore(addresses),
            HumanDuration.Since(slice.Metadata?.CreationTimestamp, now),
        ];
    }

    /// <summary>The ENDPOINTS cell of an Endpoints: at most three <c>ip:port</c>, then <c> + N more...</c> (<c>formatEndpoints</c>).</summary>
    /// <param name="endpoints">The Endpoints.</param>
    /// <returns>The text.</returns>
    public static string FormatEndpoints(V1Endpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Subsets is not { Count: > 0 } subsets)
        {
            return "<none>";
        }

        const int Max = 3;
        var list = new List<string>();
        var count = 0;
        var more = false;
        foreach (var subset in subsets)
        {
            var addresses = subset.Addresses ?? [];
            if (subset.Ports is not { Count: > 0 } ports)
            {
                count += addresses.Count;
                foreach (var address in addresses)
                {
                    if (list.Count == Max)
                    {
                        more = true;
                        break;
                    }

                    list.Add(address.Ip);
                }

                continue;
            }

            foreach (var port in ports)
            {
                count += addresses.Count;
                foreach (var address in addresses)
                {
                    if (list.Count == Max)
                    {
                        more = true;
                        break;
                    }

                    list.Add(JoinHostPort(address.Ip, port.Port));
                }
            }
        }

        var text = string.Join(",", list);
        return more ? string.Create(CultureInfo.InvariantCulture, $"{text} + {count - Max} more...") : text;
    }

    private static string JoinHostPort(string ip, int port) =>
        ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{ip}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static string ListWithMore(IEnumerable<string> items)
    {
        const int Max = 3;
        var all = items.ToList();
        var text = string.Join(",", all.Take(Max));
        if (all.Count > Max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{text} + {all.Count - Max} more...");
        }

        return text.Length == 0 ? "<unset>" : text;
    }

    private static string Ports(IList<V1ServicePort>? ports)
    {
        if (ports is not { Count: > 0 })
        {
            return "<none>";
        }

        return string.Join(",", ports.Select(p => p.NodePort is > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Port}:{p.NodePort}/{p.Protocol ?? "TCP"}")
            : string.Create(CultureInfo.InvariantCulture, $"{p.Port}/{p.Protocol ?? "TCP"}")));
    }

    private static string ExternalIP(V1Service service, string type)
    {
        var external = service.Spec?.ExternalIPs ?? [];
        switch (type)
        {
            case "ClusterIP" or "NodePort":
                return external.Count > 0 ? string.Join(",", external) : "<none>";
            case "LoadBalancer":
                var ingress = (service.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip is { Length: > 0 } ip ? ip : i.Hostname).Where(s => !string.IsNullOrEmpty(s));
                var all = ingress.Concat(external).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return service.Spec?.ExternalName ?? string.Empty;
            default:
                return "<unknown>";
        }
    }
}
