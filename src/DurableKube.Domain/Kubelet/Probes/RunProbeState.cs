namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>What the probes have said about one run of a container.</summary>
/// <param name="Attempt">The run.</param>
/// <param name="Started">Whether its startup probe has succeeded.</param>
/// <param name="Ready">Whether its readiness probe's result is Success.</param>
public sealed record RunProbeState(int Attempt, bool Started = false, bool Ready = false);
