using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Logs;
using DurableKube.Runtime.Process.Processes;
using DurableKube.Runtime.Process.State;
using DurableKube.Runtime.Process.Volumes;

namespace DurableKube.Runtime.Process;

/// <content>Starting, stopping and observing runs.</content>
internal sealed partial class ProcessContainerRuntime
{
    private const string StartError = "StartError";
    private const string StatusUnknown = PodLifecycle.ContainerStatusUnknownReason;
    private const string StatusUnknownMessage = "The container could not be located when the pod was terminated";

    /// <inheritdoc />
    public async Task<ContainerRunStatus> StartContainerAsync(ContainerLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ValidateId(launch.Id);
        ValidateLaunch(launch);
        await EnsureInitializedAsync(cancellationToken);

        var id = launch.Id;
        var paths = _layout.Run(id);
        var podGate = Gate(_layout.PodDirectory(id.PodUid));
        await podGate.WaitAsync(cancellationToken);
        try
        {
            var runGate = Gate(paths.Directory);
            await runGate.WaitAsync(cancellationToken);
            try
            {
                if (await GetStatusCoreAsync(id, paths, drain: true, gateHeld: true, cancellationToken) is { } existing)
                {
                    return existing;
                }

                if (LatestAttempt(id) is { } latest && latest > id.Attempt)
                {
                    throw new ContainerRunSupersededException(id, latest);
                }

                if (!File.Exists(_layout.SandboxFile(id.PodUid)))
                {
                    throw new ContainerRuntimeException($"The sandbox of pod {id.PodUid} does not exist.", transient: false);
                }

                return await LaunchAsync(launch, paths);
            }
            finally
            {
                runGate.Release();
            }
        }
        finally
        {
            podGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task StopContainerAsync(ContainerRunId id, StopMode mode, CancellationToken cancellationToken = default)
    {
        ValidateId(id);
        await EnsureInitializedAsync(cancellationToken);
        var paths = _layout.Run(id);
        if (await GetStatusCoreAsync(id, paths, drain: false, gateHeld: false, cancellationToken) is not { State: ContainerRunState.Running })
        {
            return;
        }

        await SignalRunAsync(id, paths, mode == StopMode.Kill ? Signals.Kill : Signals.Terminate);
    }

    /// <inheritdoc />
    public async Task<ContainerRunStatus?> GetContainerAsync(ContainerRunId id, CancellationToken cancellationToken = default)
    {
        ValidateId(id);
        await EnsureInitializedAsync(cancellationToken);
        return await GetStatusCoreAsync(id, _layout.Run(id), drain: true, gateHeld: false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerRunStatus>> ListContainersAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        var runs = new List<ContainerRunStatus>();
        foreach (var id in _layout.EnumerateRuns())
        {
            if (await GetStatusCoreAsync(id, _layout.Run(id), drain: true, gateHeld: false, cancellationToken) is { } status)
            {
                runs.Add(status);
            }
        }

        return runs;
    }

    /// <inheritdoc />
    public async Task AcknowledgeExitAsync(ContainerRunId id, CancellationToken cancellationToken = default)
    {
        ValidateId(id);
        await EnsureInitializedAsync(cancellationToken);
        var paths = _layout.Run(id);
        if (await GetStatusCoreAsync(id, paths, drain: false, gateHeld: false, cancellationToken) is { State: ContainerRunState.Exited })
        {
            try
            {
                RunFiles.Touch(paths.Ack);
            }
            catch (DirectoryNotFoundException)
            {
                // Removed meanwhile: nothing left to acknowledge.
            }
        }
    }

    private static void ValidateLaunch(ContainerLaunch launch)
    {
        if (launch.Command is not { Count: > 0 } || string.IsNullOrEmpty(launch.Command[0]))
        {
            throw new ArgumentException($"The launch of {launch.Id} has no command.", nameof(launch));
        }

        if (launch.Command.Any(word => word.Contains('\0', StringComparison.Ordinal))
            || launch.Environment.Any(pair => pair.Key.Length == 0 || pair.Key.Contains('=', StringComparison.Ordinal)
                || pair.Key.Contains('\0', StringComparison.Ordinal) || pair.Value.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The launch of {launch.Id} has an argument or environment variable that cannot be passed to a process.", nameof(launch));
        }
    }

    private async Task<ContainerRunStatus> LaunchAsync(ContainerLaunch launch, RunPaths paths)
    {
        var id = launch.Id;
        var script = !launch.Tty ? null : ScriptLocations.FirstOrDefault(File.Exists)
            ?? throw new ContainerRuntimeException("A container with tty: true needs util-linux script, which is not installed in /usr/bin or /bin.", transient: false);
        var environment = ContainerEnvironment(launch);
        var sandbox = _layout.SandboxWorkingDirectory(id.PodUid);
        var workingDirectory = string.IsNullOrEmpty(launch.WorkingDirectory) ? sandbox : Path.GetFullPath(launch.WorkingDirectory, sandbox);
        var mounts = ResolveMounts(launch);
        Func<string, string>? toHost = mounts.Count == 0 ? null : path => MountPaths.ToHost(mounts, path);
        var failure = PrepareWorkingDirectory(toHost?.Invoke(workingDirectory) ?? workingDirectory);
        if (failure is null && launch.Command[0].Contains('=', StringComparison.Ordinal))
        {
            // env(1) would take such a name for a variable assignment.
            failure = $"exec: \"{launch.Command[0]}\": the process runtime cannot run a command whose name contains '='";
        }

        failure ??= LaunchCheck.FindExecutable(
            launch.Command[0], environment.Last(pair => pair.Key == "PATH").Value, workingDirectory, toHost);

        var record = new LaunchRecord(
            id.PodUid, id.ContainerName, id.Attempt, launch.Namespace, launch.PodName, launch.Image,
            [.. launch.Command], [.. environment.Select(pair => pair.Key)], workingDirectory, _time.GetUtcNow(), mounts.Count == 0 ? null : mounts,
            launch.Stdin, launch.Tty);

        // The run folder is built aside and renamed into place, so it exists complete or not at all.
        var containerDirectory = _layout.ContainerDirectory(id.PodUid, id.ContainerName);
        Directory.CreateDirectory(containerDirectory);
        var staging = Path.Combine(
            containerDirectory,
            $".{id.Attempt.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)}.staging");
        var stagingPaths = new RunPaths(staging);
        Directory.CreateDirectory(staging, RunFiles.PrivateDirectory);
        RunFiles.WriteNew(stagingPaths.Launch, JsonSerializer.Serialize(record, StateJsonContext.Default.LaunchRecord), RunFiles.PrivateFile);
        RunFiles.Touch(stagingPaths.Log);
        if (failure is not null)
        {
            var message = LaunchCheck.StartErrorMessage(failure);
            RunFiles.TryWriteExit(stagingPaths.Exit, 128, StartError, message);
            RunFiles.Touch(stagingPaths.Drained);
            Directory.Move(staging, paths.Directory);
            Log.RunStartError(_logger, id, message);
            await DiscardOlderRunsAsync(id);
            var failed = await GetStatusCoreAsync(id, paths, drain: false, gateHeld: true, CancellationToken.None);
            Publish(failed!);
            return failed!;
        }

        // A terminal's input is a FIFO too, even without stdin: true, so script never sees its input end (a container's
        // terminal that nobody writes to stays open, as in Kubernetes).
        if ((launch.Stdin || launch.Tty) && NativeMethods.MakeFifo(stagingPaths.Stdin, 0x180) != 0)
        {
            throw new ContainerRuntimeException(
                $"Could not create the stdin FIFO of {id}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}.", transient: true);
        }

        IReadOnlyList<string>? prefix = null;
        if (mounts.Count > 0)
        {
            // A mount namespace of its own, in which the mount script binds the volumes and changes to the working
            // directory, then executes setsid in the same process: the container's pid is still the one the shim records.
            RunFiles.WriteNew(Path.Combine(staging, MountScript.MountsFileName), MountScript.BuildMounts(mounts), RunFiles.PrivateFile);
            prefix = [.. _tools!.UnshareWords(), ShimScript.Shell, _mountScript!, paths.Directory, workingDirectory];
        }

        if (launch.Tty)
        {
            // script's child sources tty.sh on the terminal: the files name the run's final folder.
            RunFiles.WriteNew(stagingPaths.Terminal, ShimScript.BuildTerminal(_tools!.Env, environment, launch.Command, paths.Pid), RunFiles.PrivateFile);
            RunFiles.WriteNew(stagingPaths.Argv, ShimScript.BuildTerminalArgv(script!, paths.Terminal, prefix), RunFiles.PrivateFile);
        }
        else
        {
            RunFiles.WriteNew(stagingPaths.Argv, ShimScript.BuildArgv(_tools!.Setsid, _tools.Env, environment, launch.Command, prefix), RunFiles.PrivateFile);
        }

        Directory.Move(staging, paths.Directory);
        await DiscardOlderRunsAsync(id);

        System.Diagnostics.Process shim;
        try
        {
            // A run with mounts changes to its working directory inside its namespace (it may exist only there).
            shim = StartShim(paths, mounts.Count == 0 ? workingDirectory : sandbox);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            var message = LaunchCheck.StartErrorMessage($"starting the shim failed: {ex.Message}");
            RunFiles.TryWriteExit(paths.Exit, 128, StartError, message);
            RunFiles.Touch(paths.Drained);
            Log.RunStartError(_logger, id, message);
            var failed = await GetStatusCoreAsync(id, paths, drain: false, gateHeld: true, CancellationToken.None);
            Publish(failed!);
            return failed!;
        }

        // The shim writes its pid too, first thing; written here as well, a run whose directory is in place but has no
        // shim pid is one whose runtime died before it started the shim (see ObserveExitAsync).
        RunFiles.WriteAtomic(paths.ShimPid, $"{shim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n");

        // Wait until the container process runs the command (not the shim's subshell, setsid or env, which
        // still ignore what the shim ignores), so a stop right after this returns is not lost.
        var deadline = _time.GetUtcNow() + StartTimeout;
        while (!File.Exists(paths.Exit) && !shim.HasExited && _time.GetUtcNow() < deadline
            && (RunFiles.ReadPid(paths.Pid) is not { } pid || IsLaunching(paths, pid)))
        {
            await Task.Delay(ShortPoll / 2, _time);
        }

        RecordChildIdentity(paths, shim.Id);
        ForgetArgv(paths);
        var containerPid = RunFiles.ReadPid(paths.Pid);
        Log.RunStarted(_logger, id, shim.Id, containerPid);
        Track(id, paths, shim);
        return (await GetStatusCoreAsync(id, paths, drain: false, gateHeld: true, CancellationToken.None))!;
    }

    /// <summary>
    /// Resolves the container's volume mounts against its pod's volumes as placed; refuses the container (a
    /// CreateContainerError for the kubelet) when it mounts a volume this machine cannot give it, rather than run it without.
    /// </summary>
    private List<ResolvedMount> ResolveMounts(ContainerLaunch launch)
    {
        if (launch.VolumeMounts.Count == 0)
        {
            return [];
        }

        var names = string.Join(", ", launch.VolumeMounts.Select(m => $"\"{m.Volume}\" at {m.MountPath}"));
        if (_mountRefusal is not null)
        {
            throw new ContainerRuntimeException(
                $"the process runtime cannot mount volumes on this node ({_mountRefusal}): container \"{launch.Id.ContainerName}\" mounts {names} and is not run without them",
                transient: false);
        }

        var volumes = ReadSandbox(launch.Id.PodUid)?.Volumes ?? [];
        var mounts = new List<ResolvedMount>();
        foreach (var mount in launch.VolumeMounts)
        {
            var volume = volumes.FirstOrDefault(v => v.Name == mount.Volume)
                ?? throw new ContainerRuntimeException(
                    $"MountVolume.SetUp failed for volume \"{mount.Volume}\" : the process runtime was not given this volume with the pod's sandbox; container \"{launch.Id.ContainerName}\" is not run without it",
                    transient: false);
            mounts.Add(PodVolumes.Resolve(volume, mount));
        }

        return mounts;
    }

    private static List<KeyValuePair<string, string>> ContainerEnvironment(ContainerLaunch launch)
    {
        var environment = new List<KeyValuePair<string, string>>();
        if (!launch.Environment.Any(pair => pair.Key == "PATH"))
        {
            environment.Add(new("PATH", LaunchCheck.DefaultPath));
        }

        if (!launch.Environment.Any(pair => pair.Key == "HOSTNAME"))
        {
            environment.Add(new("HOSTNAME", launch.PodName));
        }

        if (launch.Tty && !launch.Environment.Any(pair => pair.Key == "TERM"))
        {
            // What containerd gives a container with a terminal.
            environment.Add(new("TERM", "xterm"));
        }

        environment.AddRange(launch.Environment);
        return environment;
    }

    private static string? PrepareWorkingDirectory(string workingDirectory)
    {
        try
        {
            // runc creates a missing working directory too.
            Directory.CreateDirectory(workingDirectory);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"chdir to cwd (\"{workingDirectory}\") set in config.json failed: {ex.Message}";
        }
    }

    private System.Diagnostics.Process StartShim(RunPaths paths, string workingDirectory)
    {
        // setsid: the shim leads a new session and process group, so a signal to this process's group or a
        // terminal hang-up does not reach it, and it lives on when this process dies. (This process's children
        // are never group leaders, so setsid does not fork: the pid is the shim's.)
        var start = new ProcessStartInfo(_tools!.Setsid) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(ShimScript.Shell);
        start.ArgumentList.Add(_shimScript!);
        start.ArgumentList.Add(paths.Directory);
        start.Environment.Clear();
        start.Environment["PATH"] = ShimSearchPath;
        InheritedDescriptors.MarkCloseOnExec();
        return System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("The shim did not start.");
    }

    private static void ForgetArgv(RunPaths paths)
    {
        // The shim sources argv.sh before it starts the container; once the container's pid is written the
        // file (which holds environment values) is no longer needed.
        if (RunFiles.ReadPid(paths.Pid) is not null || File.Exists(paths.Exit))
        {
            File.Delete(paths.Argv);
            File.Delete(paths.Terminal);
        }
    }

    /// <summary>
    /// Records the container's pid and start time while its parent is the live shim (an unreaped child's pid cannot
    /// be reused), so later signals can tell the container from a process that got its pid after it ended.
    /// </summary>
    private static void RecordChildIdentity(RunPaths paths, int shimPid)
    {
        if (RunFiles.ReadChild(paths.Child) is not null || RunFiles.ReadPid(paths.Pid) is not { } pid)
        {
            return;
        }

        if (ProcFs.ReadStat(pid) is { } stat && IsShimChild(stat, shimPid) && ShimScript.IsShimOf(ProcFs.ReadCommandLine(shimPid), paths.Directory))
        {
            RunFiles.WriteChild(paths.Child, new ChildIdentity(pid, stat.StartTime));
        }
    }

    /// <summary>Reads a run's state; records an exit for a run that ended without its shim recording one.</summary>
    private async Task<ContainerRunStatus?> GetStatusCoreAsync(
        ContainerRunId id, RunPaths paths, bool drain, bool gateHeld, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(paths.Directory))
        {
            return null;
        }

        var startedAt = ReadLaunch(paths)?.StartedAt ?? new DateTimeOffset(Directory.GetLastWriteTimeUtc(paths.Directory), TimeSpan.Zero);
        var (exists, exit) = await ObserveExitAsync(id, paths, gateHeld, cancellationToken);
        if (!exists)
        {
            return null;
        }

        if (exit is null)
        {
            return new ContainerRunStatus(id, ContainerRunState.Running, startedAt);
        }

        if (drain && !File.Exists(paths.Drained))
        {
            // The exit is reported only once the log holds everything the run wrote.
            await Pump(paths).PumpAsync(final: true, cancellationToken);
        }

        if (exit.Reason is null && RunFiles.TryReadText(Path.Combine(paths.Directory, MountScript.ErrorFileName)) is { Length: > 0 } mountError)
        {
            // The mount script failed before the container's command ran: what runc reports as a StartError.
            exit = exit with { Reason = StartError, Message = LaunchCheck.StartErrorMessage(mountError.Trim()) };
        }

        return new ContainerRunStatus(
            id, ContainerRunState.Exited, startedAt, exit.FinishedAt, exit.ExitCode, exit.Reason, exit.Message, File.Exists(paths.Ack));
    }

    private async Task<(bool Exists, ExitRecord? Exit)> ObserveExitAsync(
        ContainerRunId id, RunPaths paths, bool gateHeld, CancellationToken cancellationToken)
    {
        // The shim writes the exit file and then ends: look at the shim first, the file second, so a shim
        // that ends in between is never mistaken for one that vanished.
        var shimAlive = IsShimAlive(paths, out var shimPid);
        if (RunFiles.ReadExit(paths.Exit) is { } exit)
        {
            return (true, exit);
        }

        if (shimAlive || IsContainerAlive(paths, null))
        {
            return (Directory.Exists(paths.Directory), null);
        }

        var gate = Gate(paths.Directory);
        if (!gateHeld)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            shimAlive = IsShimAlive(paths, out shimPid);
            if (RunFiles.ReadExit(paths.Exit) is { } recorded)
            {
                return (true, recorded);
            }

            if (!Directory.Exists(paths.Directory))
            {
                return (false, null);
            }

            if (shimAlive || IsContainerAlive(paths, shimAlive ? shimPid : null))
            {
                return (true, null);
            }

            if (RunFiles.ReadPid(paths.ShimPid) is null && RunFiles.ReadPid(paths.Pid) is null && !AnyShimOf(paths.Directory))
            {
                // The runtime died between putting the run's directory in place and starting its shim: nothing ran,
                // and a start asked again (the activity redelivered) must run it, not report a run that never was.
                Directory.Delete(paths.Directory, recursive: true);
                Log.RunNeverStarted(_logger, id);
                return (false, null);
            }

            // Neither the shim nor the container is there, and no exit was recorded: the shim was killed
            // (or the machine restarted). If this runtime stopped the run, the signal it sent says how it
            // ended; otherwise nobody knows, and Kubernetes' words for that are used.
            var signal = RunFiles.ReadSignal(paths.Stop);
            var (code, reason, message) = signal is { } sent
                ? (128 + sent, (string?)null, (string?)null)
                : (137, StatusUnknown, StatusUnknownMessage);
            if (RunFiles.TryWriteExit(paths.Exit, code, reason, message))
            {
                Log.RunVanished(_logger, id, code, reason);
            }

            return (true, RunFiles.ReadExit(paths.Exit));
        }
        catch (DirectoryNotFoundException)
        {
            return (false, null);
        }
        finally
        {
            if (!gateHeld)
            {
                gate.Release();
            }
        }
    }

    private bool IsLaunching(RunPaths paths, int pid) =>
        ShimScript.IsLaunching(ProcFs.ReadCommandLine(pid), paths.Directory, _tools!);

    /// <summary>Whether any live process is the shim of this run directory (one started that has not written its pid yet).</summary>
    private static bool AnyShimOf(string directory) =>
        ProcFs.EnumerateAll().Any(p => p.IsAlive && ShimScript.IsShimOf(ProcFs.ReadCommandLine(p.Pid), directory));

    private static bool IsShimAlive(RunPaths paths, out int shimPid)
    {
        shimPid = RunFiles.ReadPid(paths.ShimPid) ?? 0;
        return shimPid > 0
            && ProcFs.ReadStat(shimPid) is { IsAlive: true }
            && ShimScript.IsShimOf(ProcFs.ReadCommandLine(shimPid), paths.Directory);
    }

    /// <summary>
    /// Tells whether the pid file's pid still names this run's container process: a pid is trusted when the
    /// process is the live shim's child, or has the start time recorded for it; a pid with no process at all
    /// may still be the id of the container's process group or session, which the kernel does not hand out
    /// again while any member lives.
    /// </summary>
    private static bool IsOurContainer(RunPaths paths, int pid, int? shimPid)
    {
        if (ProcFs.ReadStat(pid) is not { } stat)
        {
            return true;
        }

        if (shimPid is { } shim && IsShimChild(stat, shim))
        {
            return true;
        }

        return RunFiles.ReadChild(paths.Child) is { } child && child.Pid == pid && child.StartTime == stat.StartTime;
    }

    /// <summary>
    /// Tells whether a process is the shim's child, or, on a terminal, the child of the shim's child (script): an unreaped
    /// child's pid cannot be reused, so while the shim (and script) live the pid names the container.
    /// </summary>
    private static bool IsShimChild(ProcStat stat, int shimPid) =>
        stat.ParentPid == shimPid || (stat.ParentPid > 1 && ProcFs.ReadStat(stat.ParentPid) is { ParentPid: var grandparent } && grandparent == shimPid);

    private static bool IsContainerAlive(RunPaths paths, int? shimPid)
    {
        if (RunFiles.ReadPid(paths.Pid) is not { } pid || !IsOurContainer(paths, pid, shimPid))
        {
            return false;
        }

        if (ProcFs.ReadStat(pid) is { IsAlive: true })
        {
            return true;
        }

        return ProcFs.EnumerateAll().Any(process => process.IsAlive && (process.ProcessGroup == pid || process.Session == pid));
    }

    private static bool IsRunAlive(RunPaths paths) =>
        IsShimAlive(paths, out var shimPid) | IsContainerAlive(paths, shimPid > 0 ? shimPid : null);

    /// <summary>
    /// Signals the container's process group (the container and everything it spawned), and any process that
    /// left the group but not the container's session. The shim is not signalled: it records the exit.
    /// </summary>
    private async Task<bool> SignalRunAsync(ContainerRunId id, RunPaths paths, int signal)
    {
        try
        {
            if (RunFiles.ReadSignal(paths.Stop) != Signals.Kill)
            {
                RunFiles.WriteAtomic(paths.Stop, string.Create(CultureInfo.InvariantCulture, $"{signal}\n"));
            }
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        var shimAlive = IsShimAlive(paths, out var shimPid);
        var pid = RunFiles.ReadPid(paths.Pid);
        if (pid is null && shimAlive)
        {
            // Started by an earlier runtime a moment before it died: the shim is about to write the pid.
            var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(2);
            while ((pid = RunFiles.ReadPid(paths.Pid)) is null && _time.GetUtcNow() < deadline && IsShimAlive(paths, out _))
            {
                await Task.Delay(ShortPoll, _time);
            }
        }

        if (pid is not { } group || File.Exists(paths.Exit))
        {
            return false;
        }

        var launching = _time.GetUtcNow() + TimeSpan.FromSeconds(2);
        while (IsLaunching(paths, group) && _time.GetUtcNow() < launching)
        {
            // Started by an earlier runtime a moment before it died: wait for the command, as a start does.
            await Task.Delay(ShortPoll, _time);
        }

        if (!IsOurContainer(paths, group, shimAlive ? shimPid : null))
        {
            Log.StaleProcess(_logger, id, group);
            return false;
        }

        var sent = Signals.SendToGroup(group, signal);
        foreach (var process in ProcFs.EnumerateAll())
        {
            if (process.Session == group && process.ProcessGroup != group && process.IsAlive)
            {
                sent |= Signals.Send(process.Pid, signal);
            }
        }

        var signalName = Signals.Name(signal);
        Log.SignalSent(_logger, signalName, id, group);
        return sent;
    }

    /// <summary>Kills runs and waits (bounded) until neither their shims nor their processes are left.</summary>
    private async Task<bool> EndRunsAsync(IReadOnlyList<(ContainerRunId Id, RunPaths Paths)> runs, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + EndTimeout;
        while (true)
        {
            var alive = runs.Where(run => IsRunAlive(run.Paths)).ToList();
            if (alive.Count == 0)
            {
                return true;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }

            foreach (var (id, paths) in alive)
            {
                // Again each time: a process may have forked between the scan and the signal.
                await SignalRunAsync(id, paths, Signals.Kill);
            }

            await Task.Delay(ShortPoll * 5, _time, cancellationToken);
        }
    }

    /// <summary>The latest attempt of the run's container on this node (the runs kept: this one, the one before), if any.</summary>
    private int? LatestAttempt(ContainerRunId id)
    {
        var folder = new DirectoryInfo(_layout.ContainerDirectory(id.PodUid, id.ContainerName));
        return folder.Exists
            ? folder.EnumerateDirectories().Select(run => StateLayout.TryParseAttempt(run.Name, out var attempt) ? attempt : (int?)null).Max()
            : null;
    }

    /// <summary>Keeps the new run and the one before it; older runs of the container are ended and removed.</summary>
    private async Task DiscardOlderRunsAsync(ContainerRunId current)
    {
        var older = new DirectoryInfo(_layout.ContainerDirectory(current.PodUid, current.ContainerName))
            .EnumerateDirectories()
            .Select(folder => StateLayout.TryParseAttempt(folder.Name, out var attempt) ? attempt : -1)
            .Where(attempt => attempt >= 0 && attempt < current.Attempt)
            .OrderDescending()
            .Skip(1)
            .Select(attempt => current with { Attempt = attempt })
            .Select(id => (id, _layout.Run(id)))
            .ToList();
        if (older.Count == 0)
        {
            return;
        }

        await EndRunsAsync(older, CancellationToken.None);
        foreach (var (id, paths) in older)
        {
            await StopWatchingAsync(paths);
            TryDeleteDirectory(paths.Directory);
            Log.RunDiscarded(_logger, id);
        }
    }
}
