using System.Text.Json;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Node;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <content>Sandboxes (pods) and the node.</content>
internal sealed partial class ProcessContainerRuntime
{
    /// <summary>The address of the node (and of pods whose record predates pod addresses).</summary>
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
            if (ReadSandbox(spec.PodUid) is { } existing)
            {
                return SandboxStatus.Ready(existing.PodIP ?? LoopbackAddress, LoopbackAddress);
            }

            // One allocation at a time: two pods never take one address.
            await _addressGate.WaitAsync(cancellationToken);
            try
            {
                var podIP = AllocatePodAddress(spec.PodUid);
                var record = new SandboxRecord(spec.PodUid, spec.Namespace, spec.PodName, spec.NodeName, _time.GetUtcNow(), podIP);
                RunFiles.WriteAtomic(_layout.SandboxFile(spec.PodUid), JsonSerializer.Serialize(record, StateJsonContext.Default.SandboxRecord));
                return SandboxStatus.Ready(podIP, LoopbackAddress);
            }
            finally
            {
                _addressGate.Release();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reads a pod's sandbox record, or null when it has none (or an unreadable one).</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The record.</returns>
    private SandboxRecord? ReadSandbox(string podUid)
    {
        try
        {
            var file = _layout.SandboxFile(podUid);
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllText(file), StateJsonContext.Default.SandboxRecord) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Gives a new sandbox the first free address of the pod range after the last one given (as host-local IPAM does,
    /// so a freed address is not handed out again at once); the addresses in use are those of the sandbox records.
    /// </summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The address.</returns>
    private string AllocatePodAddress(string podUid)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in _layout.EnumeratePods())
        {
            if (pod != podUid && ReadSandbox(pod)?.PodIP is { } used)
            {
                taken.Add(used);
            }
        }

        var address = _podRange.FirstFree(taken, _nextPodAddress)
            ?? throw new ContainerRuntimeException($"The pod range {_podRange} has no free address: {taken.Count} pods hold one.", transient: true);
        _nextPodAddress = _podRange.OffsetOf(address) + 1;
        return address.ToString();
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
