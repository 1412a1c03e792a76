using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Exec;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <content>Attaching to a running container's own streams: <c>kubectl attach</c>.</content>
internal sealed partial class ProcessContainerRuntime
{
    /// <inheritdoc />
    public async Task<IExecSession> AttachAsync(ContainerRunId id, bool stdin, CancellationToken cancellationToken = default)
    {
        ValidateId(id);
        await EnsureInitializedAsync(cancellationToken);
        var paths = _layout.Run(id);
        if (await GetStatusCoreAsync(id, paths, drain: false, gateHeld: false, cancellationToken) is not { State: ContainerRunState.Running })
        {
            throw new ContainerRuntimeException($"Container run {id} is not running: only a running container can be attached to.", transient: false);
        }

        // A terminal's FIFO exists without stdin: true too; only a container that asked for stdin is written to.
        var launch = ReadLaunch(paths);
        var fifo = stdin && File.Exists(paths.Stdin) && (launch is not { Tty: true } || launch.Stdin) ? paths.Stdin : null;
        if (launch is { Tty: true })
        {
            // One stream, the terminal's (stderr is empty: the container's stderr is the terminal), and resizes go to it.
            return new AttachSession(paths.Stdout, null, fifo, token => WaitForExitCodeAsync(id, paths, token))
            {
                Resize = (width, height) => ResizeTerminal(paths, width, height),
            };
        }

        return new AttachSession(paths.Stdout, paths.Stderr, fifo, token => WaitForExitCodeAsync(id, paths, token));
    }

    /// <summary>Sets the size of a running container's terminal (<c>TIOCSWINSZ</c>: its foreground process group gets SIGWINCH).</summary>
    private static bool ResizeTerminal(State.RunPaths paths, ushort width, ushort height) =>
        RunFiles.ReadPid(paths.Pid) is { } pid && Terminal.ResizeControlling(pid, width, height);

    private async Task<int> WaitForExitCodeAsync(ContainerRunId id, State.RunPaths paths, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await GetStatusCoreAsync(id, paths, drain: false, gateHeld: false, cancellationToken);
            if (status is not { State: ContainerRunState.Running })
            {
                return status?.ExitCode ?? 137;
            }

            await Task.Delay(LogPollInterval, _time, cancellationToken);
        }
    }
}
