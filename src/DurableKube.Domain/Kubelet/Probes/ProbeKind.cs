using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>Which of a container's probes (pkg/kubelet/prober: <c>probeType</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeKind>))]
public enum ProbeKind
{
    /// <summary><c>livenessProbe</c>: a container that fails it is restarted.</summary>
    Liveness,

    /// <summary><c>readinessProbe</c>: a container that fails it is not ready (and leaves its Services' endpoints).</summary>
    Readiness,

    /// <summary><c>startupProbe</c>: holds the other probes off until it succeeds; a container that fails it is restarted.</summary>
    Startup,
}
