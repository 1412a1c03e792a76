using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet;

/// <summary>The pod's <c>spec.restartPolicy</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PodRestartPolicy>))]
public enum PodRestartPolicy
{
    /// <summary>Restart every container that exits (the default).</summary>
    Always,

    /// <summary>Restart containers that exit with a non-zero code.</summary>
    OnFailure,

    /// <summary>Never restart.</summary>
    Never,
}
