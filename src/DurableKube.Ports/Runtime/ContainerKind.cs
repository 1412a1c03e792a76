namespace DurableKube.Ports.Runtime;

/// <summary>Which list of the pod spec a container comes from.</summary>
public enum ContainerKind
{
    /// <summary>A container of <c>spec.containers</c>.</summary>
    App,

    /// <summary>An init container: runs to completion, in order, before the app containers.</summary>
    Init,

    /// <summary>An init container with <c>restartPolicy: Always</c>: starts in order and keeps running beside the app.</summary>
    Sidecar,

    /// <summary>An ephemeral container, added to a running pod to troubleshoot it; never restarted.</summary>
    Ephemeral,
}
