namespace DurableKube.Ports.Runtime;

/// <summary>Whether a sandbox can hold its containers yet.</summary>
public enum SandboxState
{
    /// <summary>Still being created (images pulled, resources allocated), or not created now for a reason the status gives.</summary>
    Pending,

    /// <summary>Created: a container-scoped runtime may start containers; a pod-scoped one has started every container.</summary>
    Ready,
}
