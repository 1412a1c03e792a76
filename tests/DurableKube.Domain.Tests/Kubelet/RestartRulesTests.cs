using DurableKube.Domain.Kubelet;

namespace DurableKube.Domain.Tests.Kubelet;

public class RestartRulesTests
{
    [Theory]
    [InlineData(PodRestartPolicy.Always, ContainerRole.App, 0, true)]
    [InlineData(PodRestartPolicy.Always, ContainerRole.App, 1, true)]
    [InlineData(PodRestartPolicy.OnFailure, ContainerRole.App, 0, false)]
    [InlineData(PodRestartPolicy.OnFailure, ContainerRole.App, 2, true)]
    [InlineData(PodRestartPolicy.Never, ContainerRole.App, 0, false)]
    [InlineData(PodRestartPolicy.Never, ContainerRole.App, 137, false)]
    // A failed init container is retried under Always (which behaves as OnFailure) and OnFailure; under Never it fails the pod.
    [InlineData(PodRestartPolicy.Always, ContainerRole.Init, 0, false)]
    [InlineData(PodRestartPolicy.Always, ContainerRole.Init, 1, true)]
    [InlineData(PodRestartPolicy.OnFailure, ContainerRole.Init, 1, true)]
    [InlineData(PodRestartPolicy.Never, ContainerRole.Init, 1, false)]
    // Sidecars always come back while the pod runs.
    [InlineData(PodRestartPolicy.Never, ContainerRole.Sidecar, 0, true)]
    [InlineData(PodRestartPolicy.OnFailure, ContainerRole.Sidecar, 1, true)]
    public void Restart_follows_policy_role_and_exit_code(PodRestartPolicy policy, ContainerRole role, int exitCode, bool restart)
    {
        Assert.Equal(restart, RestartRules.ShouldRestart(policy, role, exitCode));
    }
}
