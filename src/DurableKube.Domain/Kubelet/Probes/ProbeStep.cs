namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>The worker after one probe.</summary>
/// <param name="State">Its new state.</param>
/// <param name="Changed">Whether the reported result changed (the pod's workflow is told only of changes).</param>
/// <param name="Action">What the kubelet must do.</param>
/// <param name="Decided">
/// Whether this probe reached a threshold, so that <see cref="ProbeWorkerState.Result"/> is a verdict and no longer the
/// initial value: a prober that has not told the pod's workflow anything yet tells it now, even when the verdict equals
/// the initial value (a workflow restarted from a status that said ready, while the probe now fails).
/// </param>
public sealed record ProbeStep(ProbeWorkerState State, bool Changed, ProbeAction Action, bool Decided = false);
