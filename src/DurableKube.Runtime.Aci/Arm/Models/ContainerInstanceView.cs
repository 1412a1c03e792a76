namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The observed state of one container.</summary>
public sealed class ContainerInstanceView
{
    /// <summary>Gets or sets how many times ACI restarted the container (not trusted to mean DurableKube's generation).</summary>
    public int RestartCount { get; set; }

    /// <summary>Gets or sets the current state.</summary>
    public ContainerState? CurrentState { get; set; }

    /// <summary>Gets or sets the state before the current one.</summary>
    public ContainerState? PreviousState { get; set; }

    /// <summary>Gets or sets the container's events (Pulling, Pulled, Started, Failed, Killing...).</summary>
    public List<ContainerEvent>? Events { get; set; }
}
