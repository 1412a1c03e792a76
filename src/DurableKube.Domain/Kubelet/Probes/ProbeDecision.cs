namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>What a probe worker does at a tick of its period.</summary>
public enum ProbeDecision
{
    /// <summary>Run the probe's handler now.</summary>
    Probe,

    /// <summary>Not now (initial delay, on hold, gated by the startup probe); look again at the next tick.</summary>
    Skip,

    /// <summary>The run it probes is over (exited, replaced, or the pod is being deleted): the worker ends.</summary>
    Stop,
}
