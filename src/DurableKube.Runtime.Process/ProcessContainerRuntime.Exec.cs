using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Exec;
using DurableKube.Runtime.Process.Processes;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <content>Commands run in a running container: <c>kubectl exec</c> and exec probes.</content>
internal sealed partial class ProcessContainerRuntime
{
    private const string ExecFailedPrefix = "OCI runtime exec failed: exec failed: unable to start container process: ";
    private static readonly string[] ScriptLocations = ["/usr/bin/script", "/bin/script"];

    private readonly ConcurrentDictionary<ProcessExecSession, byte> _execs = new();

    /// <inheritdoc />
    public async Task<IExecSession> ExecAsync(ContainerRunId id, ExecSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateId(id);
        if (spec.Command is not { Count: > 0 } || string.IsNullOrEmpty(spec.Command[0]))
        {
            throw new ArgumentException("An exec needs a command.", nameof(spec));
        }

        if (spec.Command.Any(word => word.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("An argument of the command holds a NUL character, which cannot be passed to a process.", nameof(spec));
        }

        await EnsureInitializedAsync(cancellationToken);
        var paths = _layout.Run(id);
        if (await GetStatusCoreAsync(id, paths, drain: false, gateHeld: false, cancellationToken) is not { State: ContainerRunState.Running })
        {
            throw new ContainerRuntimeException($"Container run {id} is not running: a command can only run in a running container.", transient: false);
        }

        var environment = ReadContainerEnvironment(id, paths, out var containerPid);
        var launch = ReadLaunch(paths);
        var workingDirectory = launch?.WorkingDirectory ?? _layout.SandboxWorkingDirectory(id.PodUid);
        var mounts = launch?.Mounts ?? [];
        Func<string, string>? toHost = mounts.Count == 0 ? null : path => MountPaths.ToHost(mounts, path);
        var path = environment.LastOrDefault(pair => pair.Key == "PATH").Value ?? LaunchCheck.DefaultPath;
        var failure = spec.Command[0].Contains('=', StringComparison.Ordinal)
            ? $"exec: \"{spec.Command[0]}\": the process runtime cannot run a command whose name contains '='"
            : LaunchCheck.FindExecutable(spec.Command[0], path, workingDirectory, toHost);
        if (failure is not null)
        {
            throw new ContainerRuntimeException($"{ExecFailedPrefix}{failure}: unknown", transient: false);
        }

        // A container with volume mounts has a mount namespace of its own: the command enters it (nsenter), changes to the
        // working directory there (nsenter's --wd opens its folder before entering), and sees the volumes as the container does.
        IReadOnlyList<string> enter = mounts.Count == 0
            ? []
            : [_tools!.Nsenter!, string.Create(CultureInfo.InvariantCulture, $"--target={containerPid}"), "--mount", "--",
                ShimScript.Shell, "-c", MountScript.ChdirScript, workingDirectory];
        var start = spec.Tty ? TerminalStart(environment, spec.Command, enter) : PipeStart(environment, spec.Command, enter);
        start.WorkingDirectory = mounts.Count == 0 ? workingDirectory : _layout.SandboxWorkingDirectory(id.PodUid);
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        System.Diagnostics.Process process;
        try
        {
            InheritedDescriptors.MarkCloseOnExec();
            process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("The command did not start.");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            throw new ContainerRuntimeException($"{ExecFailedPrefix}{ex.Message}: unknown", transient: false, ex);
        }

        var session = new ProcessExecSession(id, process, spec, ended => _execs.TryRemove(ended, out _));
        _execs[session] = 0;
        Log.ExecStarted(_logger, id, process.Id, spec.Tty);

        // The container may have ended between the check and the start: its commands end with it.
        if (!IsRunAlive(paths))
        {
            session.Kill();
        }

        return session;
    }

    /// <summary>Kills the commands running in a run, as the end of a container's PID namespace would.</summary>
    private void KillExecsOf(ContainerRunId id)
    {
        foreach (var session in _execs.Keys.Where(session => session.Run == id))
        {
            session.Kill();
        }
    }

    /// <summary>Kills every command this runtime started in a container (they are this process's children, bound to its streams).</summary>
    private void KillAllExecs()
    {
        foreach (var session in _execs.Keys)
        {
            session.Kill();
        }
    }

    /// <summary>
    /// The environment the container's process was started with (<c>/proc/&lt;pid&gt;/environ</c>), which holds
    /// resolved secrets and the downward API; the state directory keeps only the names.
    /// </summary>
    private static List<KeyValuePair<string, string>> ReadContainerEnvironment(ContainerRunId id, RunPaths paths, out int containerPid)
    {
        var shimAlive = IsShimAlive(paths, out var shimPid);
        if (RunFiles.ReadPid(paths.Pid) is not { } pid || !IsOurContainer(paths, pid, shimAlive ? shimPid : null)
            || ProcFs.ReadStat(pid) is not { IsAlive: true })
        {
            throw new ContainerRuntimeException($"Container run {id} has no live container process to run a command beside.", transient: true);
        }

        containerPid = pid;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/environ"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ContainerRuntimeException($"The environment of container run {id} could not be read: {ex.Message}", transient: true, ex);
        }

        var environment = new List<KeyValuePair<string, string>>();
        foreach (var entry in Encoding.UTF8.GetString(bytes).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment.Add(new(entry[..equals], entry[(equals + 1)..]));
            }
        }

        return environment;
    }

    /// <summary><c>setsid env --default-signal -- COMMAND ARG...</c> on pipes, in exactly the container's environment.</summary>
    private ProcessStartInfo PipeStart(List<KeyValuePair<string, string>> environment, IReadOnlyList<string> command, IReadOnlyList<string> enter)
    {
        var start = new ProcessStartInfo(_tools!.Setsid);
        foreach (var word in enter)
        {
            start.ArgumentList.Add(word);
        }

        start.ArgumentList.Add(_tools.Env);
        start.ArgumentList.Add("--default-signal");
        start.ArgumentList.Add("--");
        foreach (var word in command)
        {
            start.ArgumentList.Add(word);
        }

        SetEnvironment(start, environment);
        return start;
    }

    /// <summary>
    /// <c>setsid script -q -e -E always -c 'exec env --default-signal -- COMMAND ARG...' /dev/null</c>: script runs the
    /// command on a new pseudo-terminal (its session's controlling terminal), copies our pipe to it and everything the
    /// command writes back, and exits with the command's code. script runs the string with <c>$SHELL</c>, which is
    /// set to <c>/bin/sh</c> for script alone: the command gets the container's own value back (or none).
    /// </summary>
    private ProcessStartInfo TerminalStart(List<KeyValuePair<string, string>> environment, IReadOnlyList<string> command, IReadOnlyList<string> enter)
    {
        var script = ScriptLocations.FirstOrDefault(File.Exists)
            ?? throw new ContainerRuntimeException("A terminal needs util-linux script, which is not installed in /usr/bin or /bin.", transient: false);
        var shell = environment.LastOrDefault(pair => pair.Key == "SHELL").Value;
        var line = new StringBuilder("exec ").Append(ShellQuote(_tools!.Env)).Append(" --default-signal");
        line.Append(shell is null ? " -u SHELL --" : " -- " + ShellQuote("SHELL=" + shell));
        foreach (var word in command)
        {
            line.Append(' ').Append(ShellQuote(word));
        }

        var start = new ProcessStartInfo(_tools.Setsid);
        foreach (var word in enter.Concat([script, "--quiet", "--return", "--echo", "always", "--command", line.ToString(), "/dev/null"]))
        {
            start.ArgumentList.Add(word);
        }

        SetEnvironment(start, [.. environment.Where(pair => pair.Key != "SHELL"), new("SHELL", ShimScript.Shell)]);
        return start;
    }

    private static void SetEnvironment(ProcessStartInfo start, IEnumerable<KeyValuePair<string, string>> environment)
    {
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
    }

    /// <summary>Quotes a word for a POSIX shell: single quotes, each inner single quote as <c>'\''</c>.</summary>
    internal static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
