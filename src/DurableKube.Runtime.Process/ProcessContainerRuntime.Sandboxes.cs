using System.Text.Json;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Node;
using DurableKube.Runtime.Process.State;
using DurableKube.Runtime.Process.Volumes;

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
            var volumes = PlaceVolumes(spec);
            if (ReadSandbox(spec.PodUid) is { } existing)
            {
                if (!(existing.Volumes ?? []).SequenceEqual(volumes))
                {
                    WriteSandbox(existing with { Volumes = volumes });
                }

                return SandboxStatus.Ready(existing.PodIP ?? LoopbackAddress, LoopbackAddress);
            }

            // One allocation at a time: two pods never take one address.
            await _addressGate.WaitAsync(cancellationToken);
            try
            {
                var podIP = AllocatePodAddress(spec.PodUid);
                WriteSandbox(new SandboxRecord(spec.PodUid, spec.Namespace, spec.PodName, spec.NodeName, _time.GetUtcNow(), podIP, volumes));
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

    /// <inheritdoc />
    public async Task UpdateVolumeAsync(string podUid, SandboxVolume volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ValidatePodUid(podUid);
        if (volume.Kind != SandboxVolumeKind.Files)
        {
            throw new ArgumentException($"Only a Files volume's content can be replaced; volume \"{volume.Name}\" is {volume.Kind}.", nameof(volume));
        }

        await EnsureInitializedAsync(cancellationToken);
        var gate = Gate(_layout.PodDirectory(podUid));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (ReadSandbox(podUid)?.Volumes?.FirstOrDefault(v => v.Name == volume.Name && v.Kind == SandboxVolumeKind.Files) is not { } placed)
            {
                return;
            }

            PodVolumes.WriteFiles(placed.Source, volume.Files, _time.GetUtcNow());
            Log.VolumeUpdated(_logger, podUid, volume.Name);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Places the sandbox's volumes under the pod's folder (those already placed are left as they are).</summary>
    /// <param name="spec">The sandbox.</param>
    /// <returns>The volumes as placed.</returns>
    private List<VolumeRecord> PlaceVolumes(SandboxSpec spec)
    {
        var placed = new List<VolumeRecord>();
        foreach (var volume in spec.Volumes)
        {
            if (!StateLayout.IsSafeSegment(volume.Name))
            {
                throw new ContainerRuntimeException($"Invalid volume name \"{volume.Name}\".", transient: false);
            }

            var record = PodVolumes.Place(_layout.VolumesDirectory(spec.PodUid), volume, Environment.IsPrivilegedProcess, _time.GetUtcNow());
            if (volume.Kind == SandboxVolumeKind.EmptyDir && volume.InMemory && !record.InMemory)
            {
                Log.VolumeOnDisk(_logger, spec.PodUid, volume.Name);
            }

            placed.Add(record);
        }

        return placed;
    }

    private void WriteSandbox(SandboxRecord record) =>
        RunFiles.WriteAtomic(_layout.SandboxFile(record.PodUid), JsonSerializer.Serialize(record, StateJsonContext.Default.SandboxRecord));

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

            // A tmpfs volume is unmounted first: deleting its files alone would leave the mount behind.
            PodVolumes.UnmountAll(_layout.VolumesDirectory(podUid));
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
