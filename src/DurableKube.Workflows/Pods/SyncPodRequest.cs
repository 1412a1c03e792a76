using DurableKube.Domain.Kubelet;

namespace DurableKube.Workflows.Pods;

/// <summary>The input of <see cref="SyncPodActivity"/>: the pod's state and the commands its plan made.</summary>
/// <param name="State">The pod's lifecycle state the plan was made from.</param>
/// <param name="Commands">The commands, in order.</param>
public sealed record SyncPodRequest(PodLifecycleState State, IReadOnlyList<KubeletCommand> Commands);
