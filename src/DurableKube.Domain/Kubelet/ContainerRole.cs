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

    /// <summary>
    /// An ephemeral container (<c>spec.ephemeralContainers</c>), added to a running pod to troubleshoot it: started once,
    /// never restarted, and no part of the pod's phase or readiness.
    /// </summary>
    Ephemeral,
}
