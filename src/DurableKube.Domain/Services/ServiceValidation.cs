using System.Globalization;
using System.Net;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Services;

/// <summary>The API server's checks of a Service (pkg/apis/core/validation <c>ValidateService</c>, <c>ValidateServiceUpdate</c>).</summary>
public static class ServiceValidation
{
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] Affinities = ["ClientIP", "None"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];

    /// <summary>Checks a Service's spec.</summary>
    /// <param name="service">The Service, defaulted.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpec(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<FieldError>();
        var spec = service.Spec ?? new V1ServiceSpec();
        var type = spec.Type ?? ServiceTypes.ClusterIP;
        var headless = spec.ClusterIP == ServiceTypes.None;
        var ports = spec.Ports ?? [];

        if (!ServiceTypes.Supported.Contains(type, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("spec.type", type, ServiceTypes.Supported));
        }

        if (ports.Count == 0 && !headless && type != ServiceTypes.ExternalName)
        {
            errors.Add(FieldError.Required("spec.ports"));
        }

        if (type == ServiceTypes.ExternalName)
        {
            if (!string.IsNullOrEmpty(spec.ClusterIP))
            {
                errors.Add(FieldError.Forbidden("spec.clusterIP", "may not be set for ExternalName services"));
            }

            if (string.IsNullOrEmpty(spec.ExternalName))
            {
                errors.Add(FieldError.Required("spec.externalName"));
            }
            else
            {
                var name = spec.ExternalName.TrimEnd('.');
                errors.AddRange(NameValidation.IsDns1123Subdomain(name).Select(m => FieldError.Invalid("spec.externalName", spec.ExternalName, m)));
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var path = string.Create(CultureInfo.InvariantCulture, $"spec.ports[{i}]");
            if (ports.Count > 1 && string.IsNullOrEmpty(port.Name))
            {
                errors.Add(FieldError.Required(path + ".name"));
            }
            else if (!string.IsNullOrEmpty(port.Name))
            {
                errors.AddRange(NameValidation.IsDns1123Label(port.Name).Select(m => FieldError.Invalid(path + ".name", port.Name, m)));
                if (!names.Add(port.Name))
                {
                    errors.Add(FieldError.Duplicate(path + ".name", port.Name));
                }
            }

            errors.AddRange(NameValidation.IsValidPortNumber(port.Port).Select(m => FieldError.Invalid(path + ".port", port.Port, m)));
            if (string.IsNullOrEmpty(port.Protocol))
            {
                errors.Add(FieldError.Required(path + ".protocol"));
            }
            else if (!Protocols.Contains(port.Protocol, StringComparer.Ordinal))
            {
                errors.Add(FieldError.NotSupported(path + ".protocol", port.Protocol, Protocols));
            }

            errors.AddRange(ValidatePortNumberOrName(port.TargetPort, path + ".targetPort"));
            if (type == ServiceTypes.ClusterIP && port.NodePort is > 0)
            {
                errors.Add(FieldError.Forbidden(path + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
            }
            else if (port.NodePort is { } nodePort and not 0)
            {
                errors.AddRange(NameValidation.IsValidPortNumber(nodePort).Select(m => FieldError.Invalid(path + ".nodePort", nodePort, m)));
            }

            if (!keys.Add(string.Create(CultureInfo.InvariantCulture, $"{port.Port}/{port.Protocol}")))
            {
                errors.Add(FieldError.Duplicate(path, string.Create(CultureInfo.InvariantCulture, $"{port.Port}/{port.Protocol}")));
            }
        }

        errors.AddRange(ObjectMetaValidation.ValidateLabels(spec.Selector, "spec.selector"));
        if (spec.SessionAffinity is { Length: > 0 } affinity && !Affinities.Contains(affinity, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("spec.sessionAffinity", affinity, Affinities));
        }

        if (spec.InternalTrafficPolicy is { Length: > 0 } internalPolicy && !TrafficPolicies.Contains(internalPolicy, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("spec.internalTrafficPolicy", internalPolicy, TrafficPolicies));
        }

        if (spec.ExternalTrafficPolicy is { Length: > 0 } externalPolicy && !TrafficPolicies.Contains(externalPolicy, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("spec.externalTrafficPolicy", externalPolicy, TrafficPolicies));
        }

        var clusterIPs = spec.ClusterIPs ?? [];
        if (clusterIPs.Count > 0 && spec.ClusterIP != clusterIPs[0])
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs", string.Join(",", clusterIPs), "element [0] must match clusterIP"));
        }

        for (var i = 0; i < clusterIPs.Count; i++)
        {
            var ip = clusterIPs[i];
            var path = string.Create(CultureInfo.InvariantCulture, $"spec.clusterIPs[{i}]");
            if (ip == ServiceTypes.None)
            {
                if (i > 0 || clusterIPs.Count > 1)
                {
                    errors.Add(FieldError.Invalid(path, ip, "'None' must be the first and only value"));
                }
                else if (type is ServiceTypes.NodePort or ServiceTypes.LoadBalancer)
                {
                    errors.Add(FieldError.Invalid(path, ip, $"may not be set to 'None' for {type} services"));
                }
            }
            else if (!IPAddress.TryParse(ip, out var parsed) || parsed.ToString() != ip)
            {
                errors.Add(FieldError.Invalid(path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            }
        }

        return errors;
    }

    /// <summary>Checks what an update may not change: an allocated ClusterIP (unless the Service turns into or out of ExternalName).</summary>
    /// <param name="service">The new Service, prepared.</param>
    /// <param name="old">The stored Service.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateUpdate(V1Service service, V1Service old)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>(ValidateSpec(service));
        var bothNeedOne = ServiceTypes.TypeOf(service) != ServiceTypes.ExternalName && ServiceTypes.TypeOf(old) != ServiceTypes.ExternalName;
        if (bothNeedOne && (service.Spec?.ClusterIP ?? string.Empty) != (old.Spec?.ClusterIP ?? string.Empty))
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", service.Spec?.ClusterIP ?? string.Empty, "may not change once set"));
        }

        return errors;
    }

    /// <summary>Checks a port given by number (1-65535) or by name (IANA_SVC_NAME), as <c>ValidatePortNumOrName</c>.</summary>
    /// <param name="port">The port.</param>
    /// <param name="path">The field path.</param>
    /// <returns>The errors.</returns>
    public static IEnumerable<FieldError> ValidatePortNumberOrName(IntOrString? port, string path)
    {
        var text = port?.Value ?? string.Empty;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return NameValidation.IsValidPortNumber(number).Select(m => FieldError.Invalid(path, number, m));
        }

        return text.Length == 0
            ? [FieldError.Required(path)]
            : NameValidation.IsValidPortName(text).Select(m => FieldError.Invalid(path, text, m));
    }
}
