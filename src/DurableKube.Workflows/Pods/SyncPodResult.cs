using DurableKube.Domain.Kubelet;

namespace DurableKube.Workflows.Pods;

/// <summary>The output of <see cref="SyncPodActivity"/>.</summary>
/// <param name="Outcomes">The outcomes of the commands that ran, in order; the activity stops at the first command that could not go ahead.</param>
/// <param name="Settings">The kubelet settings now configured, so a running pod follows configuration changes.</param>
public sealed record SyncPodResult(IReadOnlyList<KubeletOutcome> Outcomes, KubeletSettings Settings);
