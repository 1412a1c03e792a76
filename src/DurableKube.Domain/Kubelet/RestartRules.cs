namespace DurableKube.Domain.Kubelet;

/// <summary>Whether a container that exited is started again.</summary>
public static class RestartRules
{
    /// <summary>Decides whether an exited container is restarted.</summary>
    /// <param name="policy">The pod's restart policy.</param>
    /// <param name="role">The container's role.</param>
    /// <param name="exitCode">The run's exit code.</param>
    /// <returns><see langword="true"/> to restart it (after its back-off).</returns>
    /// <remarks>
    /// App containers follow the policy. A failed init container is retried under Always and OnFailure
    /// (Always behaves as OnFailure) and fails the pod under Never; one that succeeded is done. A sidecar
    /// is always restarted while the pod runs; an ephemeral container never is.
    /// </remarks>
    public static bool ShouldRestart(PodRestartPolicy policy, ContainerRole role, int exitCode) => role switch
    {
        ContainerRole.Sidecar => true,
        ContainerRole.Ephemeral => false,
        ContainerRole.Init => exitCode != 0 && policy != PodRestartPolicy.Never,
        _ => policy switch
        {
            PodRestartPolicy.Always => true,
            PodRestartPolicy.OnFailure => exitCode != 0,
            _ => false,
        },
    };
}
