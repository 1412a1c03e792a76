using System.Diagnostics;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>The programs the shim needs from the host: util-linux <c>setsid</c> and GNU coreutils <c>env</c> (8.31 or later, for <c>--default-signal</c>).</summary>
/// <param name="Setsid">The path of setsid.</param>
/// <param name="Env">The path of env.</param>
internal sealed record HostTools(string Setsid, string Env)
{
    /// <summary>Gets util-linux <c>unshare</c>, if installed: runs a container with volume mounts in a mount namespace of its own.</summary>
    public string? Unshare { get; init; }

    /// <summary>Gets util-linux <c>nsenter</c>, if installed: runs <c>kubectl exec</c> commands in a container's mount namespace.</summary>
    public string? Nsenter { get; init; }

    /// <summary>Finds and checks the programs.</summary>
    /// <returns>The programs.</returns>
    /// <exception cref="ContainerRuntimeException">One is missing or too old.</exception>
    public static HostTools Find()
    {
        var setsid = FirstExisting("/usr/bin/setsid", "/bin/setsid")
            ?? throw new ContainerRuntimeException("The process runtime needs setsid (util-linux); none found in /usr/bin or /bin.", transient: false);
        var env = FirstExisting("/usr/bin/env", "/bin/env")
            ?? throw new ContainerRuntimeException("The process runtime needs env (GNU coreutils); none found in /usr/bin or /bin.", transient: false);

        var check = new ProcessStartInfo(env) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        check.ArgumentList.Add("--default-signal");
        check.ArgumentList.Add("true");
        using var process = System.Diagnostics.Process.Start(check)
            ?? throw new ContainerRuntimeException($"Could not run {env}.", transient: false);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new ContainerRuntimeException(
                $"The process runtime needs GNU coreutils 8.31 or later ({env} --default-signal failed): {process.StandardError.ReadToEnd().Trim()}",
                transient: false);
        }

        return new HostTools(setsid, env)
        {
            Unshare = FirstExisting("/usr/bin/unshare", "/bin/unshare"),
            Nsenter = FirstExisting("/usr/bin/nsenter", "/bin/nsenter"),
        };
    }

    /// <summary>
    /// The words that start a command in a mount namespace of its own: <c>unshare --mount --propagation private --</c>, with a
    /// user namespace that maps this user to root (<c>--user --map-root-user</c>) when the runtime does not run as root.
    /// </summary>
    /// <returns>The words.</returns>
    public IReadOnlyList<string> UnshareWords() =>
        Environment.IsPrivilegedProcess
            ? [Unshare!, "--mount", "--propagation", "private", "--"]
            : [Unshare!, "--user", "--map-root-user", "--mount", "--propagation", "private", "--"];

    /// <summary>
    /// Checks once that this machine lets the runtime's user make a mount namespace and bind a folder in it (what a
    /// container with volume mounts needs).
    /// </summary>
    /// <param name="folder">A folder to mount a tmpfs on inside the probe's namespace (the state directory: the host does not see it).</param>
    /// <returns><see langword="null"/> if it does; else why not.</returns>
    public string? ProbeMountNamespaces(string folder)
    {
        if (Unshare is null)
        {
            return "util-linux unshare is not installed (/usr/bin/unshare)";
        }

        if (Nsenter is null)
        {
            return "util-linux nsenter is not installed (/usr/bin/nsenter)";
        }

        var probe = new ProcessStartInfo(UnshareWords()[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var word in UnshareWords().Skip(1).Concat(["/bin/sh", "-c", "mount -n -t tmpfs tmpfs \"$0\" && mount -n --bind \"$0\" \"$0\"", folder]))
        {
            probe.ArgumentList.Add(word);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(probe);
            if (process is null)
            {
                return $"{Unshare} did not start";
            }

            var error = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"`{string.Join(' ', UnshareWords().SkipLast(1))}` failed as this user: {error}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{Unshare} could not run: {ex.Message}";
        }
    }

    private static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);
}
