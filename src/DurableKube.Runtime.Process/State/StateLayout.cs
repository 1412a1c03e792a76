using System.Globalization;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.State;

/// <summary>
/// Where the runtime keeps its state under its root:
/// <code>
/// runtime.lock                      held (flock) by the one runtime that owns the root
/// shim-&lt;hash&gt;.sh                   the shim every run is started through
/// pods/&lt;podUid&gt;/sandbox.json        the sandbox
/// pods/&lt;podUid&gt;/sandbox/            the containers' default working directory
/// pods/&lt;podUid&gt;/volumes/&lt;name&gt;/     a volume (emptyDir, Files), bound into the containers that mount it
/// pods/&lt;podUid&gt;/containers/&lt;name&gt;/&lt;attempt&gt;/   one run (see <see cref="RunPaths"/>)
/// </code>
/// </summary>
internal sealed class StateLayout
{
    /// <summary>Initializes a new instance of the <see cref="StateLayout"/> class.</summary>
    /// <param name="root">The root folder, absolute.</param>
    public StateLayout(string root)
    {
        Root = root;
        PodsDirectory = Path.Combine(root, "pods");
        LockFile = Path.Combine(root, "runtime.lock");
    }

    /// <summary>Gets the root folder.</summary>
    public string Root { get; }

    /// <summary>Gets the folder of all pods.</summary>
    public string PodsDirectory { get; }

    /// <summary>Gets the lock file.</summary>
    public string LockFile { get; }

    /// <summary>Gets a pod's folder.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The folder.</returns>
    public string PodDirectory(string podUid) => Path.Combine(PodsDirectory, podUid);

    /// <summary>Gets a pod's sandbox record.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The file.</returns>
    public string SandboxFile(string podUid) => Path.Combine(PodDirectory(podUid), "sandbox.json");

    /// <summary>Gets the default working directory of a pod's containers.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The folder.</returns>
    public string SandboxWorkingDirectory(string podUid) => Path.Combine(PodDirectory(podUid), "sandbox");

    /// <summary>Gets the folder of a pod's volumes (one folder each: emptyDir, Files).</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The folder.</returns>
    public string VolumesDirectory(string podUid) => Path.Combine(PodDirectory(podUid), "volumes");

    /// <summary>Gets the folder holding a container's runs.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="containerName">The container.</param>
    /// <returns>The folder.</returns>
    public string ContainerDirectory(string podUid, string containerName) =>
        Path.Combine(PodDirectory(podUid), "containers", containerName);

    /// <summary>Gets a run's files.</summary>
    /// <param name="id">The run.</param>
    /// <returns>The files.</returns>
    public RunPaths Run(ContainerRunId id) =>
        new(Path.Combine(ContainerDirectory(id.PodUid, id.ContainerName), id.Attempt.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Lists the runs of one pod.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The runs whose folders exist.</returns>
    public IEnumerable<ContainerRunId> EnumerateRuns(string podUid)
    {
        var containers = Path.Combine(PodDirectory(podUid), "containers");
        foreach (var container in SafeDirectories(containers))
        {
            var name = Path.GetFileName(container);
            foreach (var attempt in SafeDirectories(container))
            {
                if (TryParseAttempt(Path.GetFileName(attempt), out var number))
                {
                    yield return new ContainerRunId(podUid, name, number);
                }
            }
        }
    }

    /// <summary>Lists the pods that have a folder.</summary>
    /// <returns>The pods' uids.</returns>
    public IEnumerable<string> EnumeratePods() => SafeDirectories(PodsDirectory).Select(Path.GetFileName).OfType<string>();

    /// <summary>Lists every run.</summary>
    /// <returns>The runs.</returns>
    public IEnumerable<ContainerRunId> EnumerateRuns() => EnumeratePods().SelectMany(EnumerateRuns);

    /// <summary>Parses a run folder's name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="attempt">The attempt.</param>
    /// <returns>Whether the name is an attempt number (staging folders are not).</returns>
    public static bool TryParseAttempt(string? name, out int attempt) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out attempt);

    /// <summary>Checks that a pod uid or container name is a single, harmless path segment.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Whether it is one.</returns>
    public static bool IsSafeSegment(string? value) =>
        !string.IsNullOrEmpty(value) && value != "." && value != ".." && value.Length <= 253
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string[] SafeDirectories(string path)
    {
        try
        {
            return Directory.Exists(path) ? Directory.GetDirectories(path) : [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }
}
