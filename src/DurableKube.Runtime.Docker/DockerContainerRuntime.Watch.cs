using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>Exits, from the engine's event stream (<c>die</c> of a container of ours).</summary>
public sealed partial class DockerContainerRuntime
{
    /// <inheritdoc />
    public async IAsyncEnumerable<ContainerRunStatus> WatchExitsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var died = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpEventsAsync(died.Writer, stop.Token);
        try
        {
            while (await died.Reader.WaitToReadAsync(cancellationToken))
            {
                while (died.Reader.TryRead(out var containerId))
                {
                    var container = await InspectAsync(containerId, cancellationToken);
                    if (container is not null && DockerLabels.TryReadRun(container.Config.Labels, out var id))
                    {
                        var status = ToStatus(id, container);
                        if (status.State == ContainerRunState.Exited)
                        {
                            yield return status;
                        }
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    private async Task PumpEventsAsync(ChannelWriter<string> died, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
        {
            ["type"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["container"] = true },
            ["event"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["die"] = true },
            ["label"] = new Dictionary<string, bool>(StringComparer.Ordinal) { [DockerLabels.Container] = true },
        };
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _client.System.MonitorEventsAsync(
                    new ContainerEventsParameters { Filters = filters },
                    new SyncProgress<Message>(message => died.TryWrite(message.Actor?.ID ?? message.ID)),
                    cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                Log.EventStreamLost(_logger, e.Message);
            }

            try
            {
                await Task.Delay(_options.ReconnectDelay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        died.TryComplete();
    }
}
