using System.Runtime.Versioning;
namespace DurableKube.Runtime.Process.Processes;

/// <summary>
/// Checks, before anything is started, what runc would refuse at create time, and words the refusal
/// as containerd reports it to the kubelet (the message a pod's <c>StartError</c> carries).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LaunchCheck
{
    /// <summary>The PATH a container gets when its spec sets none (the one container images conventionally set).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string Prefix =
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";

    /// <summary>Wraps runc's own words in containerd's.</summary>
    /// <param name="detail">What runc says, e.g. <c>exec: "foo": executable file not found in $PATH</c>.</param>
    /// <returns>The message.</returns>
    public static string StartErrorMessage(string detail) => $"{Prefix}{detail}: unknown";

    /// <summary>Finds the executable the way Go's exec.LookPath (which runc uses) does.</summary>
    /// <param name="command">The command (argv[0]).</param>
    /// <param name="path">The container's PATH.</param>
    /// <param name="workingDirectory">The container's working directory, for relative names.</param>
    /// <param name="toHost">Maps a path in the container to the host's (through its volume mounts), or <see langword="null"/> when they are the same.</param>
    /// <returns><see langword="null"/> if it can be executed, else runc's error.</returns>
    public static string? FindExecutable(string command, string path, string workingDirectory, Func<string, string>? toHost = null)
    {
        toHost ??= static same => same;
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(path);
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var full = toHost(Path.Combine(workingDirectory, command));
            if (Directory.Exists(full))
            {
                return $"exec: \"{command}\": is a directory";
            }

            if (!File.Exists(full))
            {
                return $"exec: \"{command}\": stat {command}: no such file or directory";
            }

            return IsExecutable(full) ? null : $"exec: \"{command}\": permission denied";
        }

        foreach (var entry in path.Split(':'))
        {
            var directory = entry.Length == 0 ? "." : entry;
            var candidate = toHost(Path.Combine(workingDirectory, directory, command));
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return null;
            }
        }

        return $"exec: \"{command}\": executable file not found in $PATH";
    }

    private static bool IsExecutable(string file)
    {
        try
        {
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(file) & anyExecute) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
