using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet;

/// <summary>How the kubelet stops a run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StopSignal>))]
public enum StopSignal
{
    /// <summary>SIGTERM: ask the container to stop within the grace period.</summary>
    Terminate,

    /// <summary>SIGKILL: the grace period is over.</summary>
    Kill,
}
