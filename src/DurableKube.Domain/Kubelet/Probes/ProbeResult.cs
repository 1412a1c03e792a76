using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>A probe's result as the kubelet's results manager holds it (pkg/kubelet/prober/results).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeResult>))]
public enum ProbeResult
{
    /// <summary>Not known yet (a startup probe before its first verdict).</summary>
    Unknown,

    /// <summary>The probe passed (as many times in a row as <c>successThreshold</c> asks).</summary>
    Success,

    /// <summary>The probe failed (as many times in a row as <c>failureThreshold</c> asks).</summary>
    Failure,
}
