using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Processes;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <content>A clean shutdown: no process left behind.</content>
internal sealed partial class ProcessContainerRuntime
{
    /// <summary>
    /// Ends every run: SIGTERM, up to <see cref="ProcessRuntimeOptions.ShutdownGracePeriod"/> (cut short by
    /// <paramref name="cancellationToken"/>) for them to exit, then SIGKILL; then detaches as <see cref="DisposeAsync"/> does.
    /// A host that is killed never gets here, and its runs are re-adopted by the next runtime.
    /// </summary>
    /// <param name="cancellationToken">The host's shutdown token: once cancelled, the grace period is over.</param>
    /// <returns>A task that completes once the runs have ended (or SIGKILL was sent, if the host's time ran out).</returns>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (_closed)
        {
            return;
        }

        if (_initialized)
        {
            var running = new List<(ContainerRunId Id, RunPaths Paths)>();
            foreach (var id in _layout.EnumerateRuns())
            {
                var paths = _layout.Run(id);
                try
                {
                    if (await GetStatusCoreAsync(id, paths, drain: false, gateHeld: false, CancellationToken.None) is { State: ContainerRunState.Running })
                    {
                        running.Add((id, paths));
                        await SignalRunAsync(id, paths, Signals.Terminate);
                    }
                }
                catch (IOException)
                {
                    // Removed meanwhile.
                }
            }

            if (running.Count > 0)
            {
                Log.ShutdownTerminating(_logger, running.Count);
                using var grace = new CancellationTokenSource(_options.ShutdownGracePeriod, _time);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, cancellationToken);
                await WaitUntilEndedAsync(running, either.Token);

                var remaining = running.Where(run => IsRunAlive(run.Paths)).ToList();
                if (remaining.Count > 0)
                {
                    Log.ShutdownKilling(_logger, remaining.Count);
                    foreach (var (id, paths) in remaining)
                    {
                        await SignalRunAsync(id, paths, Signals.Kill);
                    }

                    try
                    {
                        await EndRunsAsync(remaining, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        // The host's time is up: SIGKILL was sent, there is no waiting for it to land.
                    }
                }

                // Record the exits and drain the logs while this runtime still owns the state directory.
                foreach (var (id, paths) in running)
                {
                    try
                    {
                        await GetStatusCoreAsync(id, paths, drain: true, gateHeld: false, CancellationToken.None);
                    }
                    catch (IOException)
                    {
                        // Removed meanwhile.
                    }
                }
            }
        }

        await DisposeAsync();
    }

    private async Task WaitUntilEndedAsync(List<(ContainerRunId Id, RunPaths Paths)> runs, CancellationToken cancellationToken)
    {
        try
        {
            while (runs.Any(run => IsRunAlive(run.Paths)))
            {
                await Task.Delay(ShortPoll * 5, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The grace period is over.
        }
    }
}
