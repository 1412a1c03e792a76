namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>What the kubelet must do about a probe's new result.</summary>
public enum ProbeAction
{
    /// <summary>Nothing beyond reporting the result.</summary>
    None,

    /// <summary>The container failed its liveness or startup probe: stop the run, and let the restart policy decide what follows.</summary>
    Restart,
}
