namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>The worker after one probe.</summary>
/// <param name="State">Its new state.</param>
/// <param name="Changed">Whether the reported result changed (the pod's workflow is told only of changes).</param>
/// <param name="Action">What the kubelet must do.</param>
public sealed record ProbeStep(ProbeWorkerState State, bool Changed, ProbeAction Action);
