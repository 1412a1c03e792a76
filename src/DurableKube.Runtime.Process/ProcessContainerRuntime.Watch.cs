using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <content>Watching live runs: their logs, their exits.</content>
internal sealed partial class ProcessContainerRuntime
{
    /// <inheritdoc />
    /// <remarks>
    /// The stream starts with the exited runs whose exits are not acknowledged yet (so exits that happened
    /// while nobody watched, or while no runtime ran, are not left to the next resync), then yields each run
    /// as it exits, once its log is drained.
    /// </remarks>
    public async IAsyncEnumerable<ContainerRunStatus> WatchExitsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        var channel = Channel.CreateUnbounded<ContainerRunStatus>(new UnboundedChannelOptions { SingleReader = true });
        lock (_subscribersLock)
        {
            _subscribers.Add(channel);
        }

        try
        {
            foreach (var status in await ListContainersAsync(cancellationToken))
            {
                if (status is { State: ContainerRunState.Exited, Acknowledged: false })
                {
                    yield return status;
                }
            }

            await foreach (var status in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return status;
            }
        }
        finally
        {
            lock (_subscribersLock)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    private void Publish(ContainerRunStatus status)
    {
        if (status.State == ContainerRunState.Exited)
        {
            KillExecsOf(status.Id);
        }

        lock (_subscribersLock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(status);
            }
        }
    }

    private void Track(ContainerRunId id, RunPaths paths, System.Diagnostics.Process? shim)
    {
        var run = new LiveRun(id, paths, shim, CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token));
        if (!_live.TryAdd(paths.Directory, run))
        {
            run.Dispose();
            return;
        }

        run.Completion = Task.Run(() => WatchRunAsync(run));
    }

    private async Task StopWatchingAsync(RunPaths paths)
    {
        if (_live.TryRemove(paths.Directory, out var run))
        {
            run.Cancel();
            await run.Completion.WaitAsync(EndTimeout, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            run.Dispose();
        }

        _pumps.TryRemove(paths.Directory, out _);
    }

    /// <summary>
    /// Pumps a live run's log until it exits, then drains the log and reports the exit. The exit of a shim this
    /// process started is awaited; a run that is not a child (re-adopted, or whose shim died while its container
    /// lives on) is polled every <see cref="ProcessRuntimeOptions.ExitPollInterval"/>.
    /// </summary>
    private async Task WatchRunAsync(LiveRun run)
    {
        var token = run.Token;
        var pump = Pump(run.Paths);
        var shimExit = run.Shim?.WaitForExitAsync(token);
        var nextCheck = DateTimeOffset.MinValue;
        try
        {
            while (true)
            {
                try
                {
                    await pump.PumpAsync(final: false, token);
                    var now = _time.GetUtcNow();
                    if (shimExit is not { IsCompleted: false } && now >= nextCheck)
                    {
                        nextCheck = now + _options.ExitPollInterval;
                        var (exists, exit) = await ObserveExitAsync(run.Id, run.Paths, gateHeld: false, token);
                        if (!exists)
                        {
                            return;
                        }

                        if (exit is not null)
                        {
                            await pump.PumpAsync(final: true, token);
                            if (await GetStatusCoreAsync(run.Id, run.Paths, drain: true, gateHeld: false, token) is { } status)
                            {
                                Log.RunExited(_logger, run.Id, status.ExitCode);
                                Publish(status);
                            }

                            return;
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.WatchFailed(_logger, run.Id, ex);
                }

                var delay = Task.Delay(LogPollInterval, _time, token);
                await (shimExit is { IsCompleted: false } ? Task.WhenAny(delay, shimExit) : delay);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Detached, or the run is being removed.
        }
        finally
        {
            if (_live.TryRemove(KeyValuePair.Create(run.Paths.Directory, run)))
            {
                run.Dispose();
            }
        }
    }
}
