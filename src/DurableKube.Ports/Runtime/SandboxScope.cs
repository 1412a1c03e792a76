namespace DurableKube.Ports.Runtime;

/// <summary>What a runtime starts and stops: one container at a time, or a whole pod at once.</summary>
public enum SandboxScope
{
    /// <summary>
    /// The kubelet starts and stops each container in the sandbox (processes, Docker, CRI): a restart of one
    /// container leaves the others running.
    /// </summary>
    Container,

    /// <summary>
    /// The sandbox is created with all its containers and starts them itself, in order (Azure Container Instances:
    /// a container group); a restart restarts every container and one container cannot be stopped alone.
    /// </summary>
    Pod,
}
