using System.Text.Json;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Node;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <content>Sandboxes (pods) and the node.</content>
internal sealed partial class ProcessContainerRuntime
{
    /// <summary>The address of every pod and of the node: processes share the host's network.</summary>
    internal const string LoopbackAddress = "127.0.0.1";

    /// <inheritdoc />
    public async Task<SandboxStatus> CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidatePodUid(spec.PodUid);
        await EnsureInitializedAsync(cancellationToken);
        var gate = Gate(_layout.PodDirectory(spec.PodUid));
        await gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(_layout.SandboxWorkingDirectory(spec.PodUid));
            if (!File.Exists(_layout.SandboxFile(spec.PodUid)))
            {
                var record = new SandboxRecord(spec.PodUid, spec.Namespace, spec.PodName, spec.NodeName, _time.GetUtcNow());
                RunFiles.WriteAtomic(_layout.SandboxFile(spec.PodUid), JsonSerializer.Serialize(record, StateJsonContext.Default.SandboxRecord));
            }
        }
        finally
        {
            gate.Release();
        }

        return SandboxStatus.Ready(LoopbackAddress, LoopbackAddress);
    }

    /// <inheritdoc />
    public Task<SandboxStatus> RestartSandboxAsync(string podUid, int attempt, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The process runtime starts and stops each container: restart the container, not the sandbox.");

    /// <inheritdoc />
    public async Task RemoveSandboxAsync(string podUid, CancellationToken cancellationToken = default)
    {
        ValidatePodUid(podUid);
        await EnsureInitializedAsync(cancellationToken);
        var podDirectory = _layout.PodDirectory(podUid);
        var gate = Gate(podDirectory);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!Directory.Exists(podDirectory))
            {
                return;
            }

            var runs = _layout.EnumerateRuns(podUid).Select(id => (id, _layout.Run(id))).ToList();
            if (!await EndRunsAsync(runs, cancellationToken))
            {
                // Keep the folder: it is what finds the survivors when the call is retried.
                throw new ContainerRuntimeException(
                    $"Processes of pod {podUid} are still running after SIGKILL; the sandbox was not removed.", transient: true);
            }

            foreach (var (_, paths) in runs)
            {
                await StopWatchingAsync(paths);
            }

            TryDeleteDirectory(podDirectory);
            Log.SandboxRemoved(_logger, podUid);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<NodeDescription> DescribeNodeAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        return await NodeFacts.DescribeAsync(_layout.Root, Name, cancellationToken);
    }
}
