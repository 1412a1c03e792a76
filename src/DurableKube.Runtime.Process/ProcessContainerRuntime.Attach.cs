using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Exec;

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

        var fifo = stdin && File.Exists(paths.Stdin) ? paths.Stdin : null;
        return new AttachSession(paths.Stdout, paths.Stderr, fifo, token => WaitForExitCodeAsync(id, paths, token));
    }

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
