using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet;

/// <summary>What part a container plays in its pod.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContainerRole>))]
public enum ContainerRole
{
    /// <summary>An init container: runs to completion, one at a time, before the app containers.</summary>
    Init,

    /// <summary>A sidecar: an init container with <c>restartPolicy: Always</c>, started in order and kept running beside the app containers.</summary>
    Sidecar,

    /// <summary>An app container (<c>spec.containers</c>).</summary>
    App,
}
