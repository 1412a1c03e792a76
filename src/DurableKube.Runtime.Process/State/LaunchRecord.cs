using DurableKube.Runtime.Process.Processes;

namespace DurableKube.Runtime.Process.State;

/// <summary>What a run was started with, kept beside it (environment values are left out: they may be secrets).</summary>
/// <param name="PodUid">The pod's uid.</param>
/// <param name="ContainerName">The container.</param>
/// <param name="Attempt">The attempt.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name.</param>
/// <param name="Image">The image the spec names (not pulled: the process runtime runs host executables).</param>
/// <param name="Command">The command and arguments.</param>
/// <param name="EnvironmentNames">The names of the environment variables the process got.</param>
/// <param name="WorkingDirectory">The working directory.</param>
/// <param name="StartedAt">When the runtime started the run.</param>
/// <param name="Mounts">The volume mounts the run was started with, in its own mount namespace (absent or empty: none, no namespace).</param>
/// <param name="Stdin">Whether the container has <c>stdin: true</c> (an attach may write to its input).</param>
/// <param name="Tty">Whether the container runs on a pseudo-terminal (<c>tty: true</c>).</param>
internal sealed record LaunchRecord(
    string PodUid,
    string ContainerName,
    int Attempt,
    string Namespace,
    string PodName,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> EnvironmentNames,
    string WorkingDirectory,
    DateTimeOffset StartedAt,
    IReadOnlyList<ResolvedMount>? Mounts = null,
    bool Stdin = false,
    bool Tty = false);
