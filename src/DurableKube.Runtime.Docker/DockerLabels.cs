using System.Globalization;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>
/// The labels the runtime puts on every container it makes (and finds its own by, never touching others), and the
/// names it gives them, which follow from the run's id alone so a retried start finds the container it made.
/// </summary>
internal static class DockerLabels
{
    /// <summary>The pod's uid: present on every container of ours.</summary>
    public const string PodUid = "io.durablekube.pod-uid";

    /// <summary>The pod's namespace.</summary>
    public const string Namespace = "io.durablekube.pod-namespace";

    /// <summary>The pod's name.</summary>
    public const string PodName = "io.durablekube.pod-name";

    /// <summary>The container's name in the pod spec; absent on the sandbox.</summary>
    public const string Container = "io.durablekube.container";

    /// <summary>The run's attempt number.</summary>
    public const string Attempt = "io.durablekube.attempt";

    /// <summary>The node the pod is bound to.</summary>
    public const string Node = "io.durablekube.node";

    /// <summary>Marks the pod's sandbox (pause) container.</summary>
    public const string Sandbox = "io.durablekube.sandbox";

    /// <summary>The Docker name of a pod's sandbox container.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The name.</returns>
    public static string SandboxName(string podUid) => $"dk_{podUid}_POD";

    /// <summary>The Docker name of a run's container (container names are lower-case DNS labels, so never <c>POD</c>).</summary>
    /// <param name="id">The run.</param>
    /// <returns>The name.</returns>
    public static string RunName(ContainerRunId id) => $"dk_{id.PodUid}_{id.ContainerName}_{id.Attempt.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The Docker volume backing a pod's in-memory emptyDir.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="volume">The volume's name.</param>
    /// <returns>The name.</returns>
    public static string TmpfsVolumeName(string podUid, string volume) => $"dk_{podUid}_{volume}";

    /// <summary>Reads a run's id from a container's labels.</summary>
    /// <param name="labels">The labels.</param>
    /// <param name="id">The run, when the container is a run of ours.</param>
    /// <returns>Whether it is.</returns>
    public static bool TryReadRun(IDictionary<string, string>? labels, out ContainerRunId id)
    {
        id = default;
        if (labels is null || !labels.TryGetValue(PodUid, out var uid) || !labels.TryGetValue(Container, out var container)
            || !labels.TryGetValue(Attempt, out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
        {
            return false;
        }

        id = new ContainerRunId(uid, container, attempt);
        return true;
    }
}
