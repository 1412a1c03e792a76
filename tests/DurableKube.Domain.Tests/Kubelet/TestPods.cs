using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>Pods and lifecycle states for the kubelet tests.</summary>
internal static class TestPods
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static KubeletSettings Scaled { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5));

    public static V1Pod Pod(string restartPolicy = "Always", string[]? apps = null, string[]? inits = null, string[]? sidecars = null)
    {
        var initContainers = new List<V1Container>();
        foreach (var name in inits ?? [])
        {
            initContainers.Add(new V1Container { Name = name, Image = "busybox", Command = ["true"] });
        }

        foreach (var name in sidecars ?? [])
        {
            initContainers.Add(new V1Container { Name = name, Image = "busybox", Command = ["sleep", "3600"], RestartPolicy = "Always" });
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-1" },
            Spec = new V1PodSpec
            {
                RestartPolicy = restartPolicy,
                TerminationGracePeriodSeconds = 30,
                InitContainers = initContainers.Count > 0 ? initContainers : null,
                Containers = (apps ?? ["app"]).Select(n => new V1Container { Name = n, Image = "busybox", Command = ["true"] }).ToList(),
            },
        };
    }

    public static PodLifecycleState State(string restartPolicy = "Always", string[]? apps = null, string[]? inits = null, string[]? sidecars = null, KubeletSettings? settings = null) =>
        PodLifecycle.Initialize(Pod(restartPolicy, apps, inits, sidecars), settings ?? Scaled);

    /// <summary>Binds the pod and creates its sandbox, as the first activity would.</summary>
    public static PodLifecycleState Placed(this PodLifecycleState state) =>
        PodLifecycle.Apply(state, [new PodBound("node-1"), new SandboxCreated(new SandboxAddresses("127.0.0.1", "127.0.0.1"))]);

    public static PodLifecycleState Started(this PodLifecycleState state, string name, int attempt, DateTimeOffset at) =>
        PodLifecycle.Apply(state, [new ContainerStarted(name, new ContainerRun(attempt, at))]);

    public static PodLifecycleState Exited(this PodLifecycleState state, string name, int attempt, DateTimeOffset at, int exitCode) =>
        PodLifecycle.Observe(state, new ContainerExited(name, attempt, at, exitCode));
}
