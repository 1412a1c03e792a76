using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DurableKube.Ports.Runtime;

namespace DurableKube.Api.Tests.Support;

/// <summary>A container runtime that only has logs: lines per run, and a channel per run for follow.</summary>
internal sealed class FakeContainerRuntime : IContainerRuntime
{
    private readonly Dictionary<ContainerRunId, List<LogLine>> _logs = [];
    private readonly Dictionary<ContainerRunId, Channel<LogLine>> _live = [];

    public string Name => "fake";

    public List<(ContainerRunId Id, LogReadOptions Options)> Reads { get; } = [];

    public void AddLog(ContainerRunId id, params LogLine[] lines) => _logs[id] = [.. lines];

    public Channel<LogLine> Live(ContainerRunId id)
    {
        var channel = Channel.CreateUnbounded<LogLine>();
        _live[id] = channel;
        return channel;
    }

    public async IAsyncEnumerable<LogLine> ReadLogAsync(ContainerRunId id, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Reads.Add((id, options));
        if (!_logs.TryGetValue(id, out var lines))
        {
            throw new ContainerRuntimeException($"no log for {id}", transient: false);
        }

        IEnumerable<LogLine> selected = lines.Where(l => options.Since is null || l.Time >= options.Since);
        if (options.TailLines is { } tail)
        {
            selected = selected.TakeLast((int)tail);
        }

        foreach (var line in selected)
        {
            yield return line;
        }

        if (options.Follow && _live.TryGetValue(id, out var channel))
        {
            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return line;
            }
        }
    }

    public Task<SandboxInfo> CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainerRunStatus> StartContainerAsync(ContainerLaunch launch, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task StopContainerAsync(ContainerRunId id, StopMode mode, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RemoveSandboxAsync(string podUid, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainerRunStatus?> GetContainerAsync(ContainerRunId id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ContainerRunStatus>> ListContainersAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<ContainerRunStatus> WatchExitsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task AcknowledgeExitAsync(ContainerRunId id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<NodeDescription> DescribeNodeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
