using System.Diagnostics;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>The programs the shim needs from the host: util-linux <c>setsid</c> and GNU coreutils <c>env</c> (8.31 or later, for <c>--default-signal</c>).</summary>
/// <param name="Setsid">The path of setsid.</param>
/// <param name="Env">The path of env.</param>
internal sealed record HostTools(string Setsid, string Env)
{
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

        return new HostTools(setsid, env);
    }

    private static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);
}
