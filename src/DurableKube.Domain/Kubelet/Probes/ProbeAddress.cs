using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>Where a probe's handler connects, worked out as the kubelet's prober does (pkg/kubelet/prober/prober.go).</summary>
public static class ProbeAddress
{
    /// <summary>The <c>User-Agent</c> a kubelet of the version this API server reports sends (<c>kube-probe/1.33</c>).</summary>
    public const string UserAgent = "kube-probe/1.33";

    /// <summary>
    /// Resolves a probe's port (<c>ResolveContainerPort</c>): a number as it is; a name against the container's
    /// <c>ports</c>, or, as a last resort, a number written as text.
    /// </summary>
    /// <param name="port">The probe's port.</param>
    /// <param name="container">The container, whose named ports a name refers to.</param>
    /// <param name="error">Why it cannot be resolved, in the kubelet's words.</param>
    /// <returns>The port number, or <see langword="null"/> with <paramref name="error"/>.</returns>
    public static int? ResolvePort(IntOrString? port, V1Container container, out string? error)
    {
        ArgumentNullException.ThrowIfNull(container);
        error = null;
        var text = port?.Value ?? string.Empty;
        int number;
        if (container.Ports?.FirstOrDefault(p => p.Name == text) is { } named)
        {
            number = named.ContainerPort;
        }
        else if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            error = $"strconv.Atoi: parsing {Quote(text)}: invalid syntax";
            return null;
        }

        if (number is > 0 and < 65536)
        {
            return number;
        }

        error = $"invalid port number: {number.ToString(CultureInfo.InvariantCulture)}";
        return null;
    }

    /// <summary>Builds an httpGet probe's URL (<c>formatURL</c>): its scheme in lower case, its host or the pod's IP, the port, the path.</summary>
    /// <param name="action">The probe's httpGet.</param>
    /// <param name="port">The resolved port.</param>
    /// <param name="podIP">The pod's IP, the host when the probe names none.</param>
    /// <returns>The URL.</returns>
    public static Uri HttpUrl(V1HTTPGetAction action, int port, string podIP)
    {
        ArgumentNullException.ThrowIfNull(action);
        var scheme = string.IsNullOrEmpty(action.Scheme) ? "http" : action.Scheme.ToLowerInvariant();
        var host = string.IsNullOrEmpty(action.Host) ? podIP : action.Host;
        var path = string.IsNullOrEmpty(action.Path) ? "/" : action.Path;
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        return new Uri($"{scheme}://{HostPort(host, port)}{path}");
    }

    /// <summary>Joins a host and a port as Go's <c>net.JoinHostPort</c> does (an IPv6 address in brackets).</summary>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    /// <returns><c>host:port</c>.</returns>
    public static string HostPort(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        return (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Quotes text as Go's <c>%q</c> does for plain text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The quoted text.</returns>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Gets the probe of a kind from a container.</summary>
    /// <param name="container">The container.</param>
    /// <param name="kind">Which probe.</param>
    /// <returns>The probe, or <see langword="null"/>.</returns>
    public static V1Probe? Of(V1Container container, ProbeKind kind)
    {
        ArgumentNullException.ThrowIfNull(container);
        return kind switch
        {
            ProbeKind.Liveness => container.LivenessProbe,
            ProbeKind.Readiness => container.ReadinessProbe,
            _ => container.StartupProbe,
        };
    }
}
