namespace DurableKube.Ports.Runtime;

/// <summary>Whether a run is still going.</summary>
public enum ContainerRunState
{
    /// <summary>The run's process is alive.</summary>
    Running,

    /// <summary>The run has ended; its exit code and finish time are known.</summary>
    Exited,
}
