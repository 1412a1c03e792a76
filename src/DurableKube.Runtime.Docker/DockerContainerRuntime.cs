using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Runtime.Docker;

/// <summary>
/// The Docker container runtime (container-scoped, like the kubelet over dockershim): each pod is a sandbox ("pause")
/// container holding the pod's network namespace, which each of its containers joins, so they share
/// <c>localhost</c> and the sandbox's bridge address is the pod's IP. Everything goes through the Engine API
/// (pinned to version 1.41) on a unix socket. Every container carries the runtime's labels, so a new runtime on the
/// same engine finds the runs an earlier one left running and never touches containers without them.
/// </summary>
public sealed partial class DockerContainerRuntime : IContainerRuntime, IDisposable
{
    /// <summary>The Engine API version the runtime speaks (Debian's Docker 20.10).</summary>
    public static readonly System.Version ApiVersion = new(1, 41);

    private readonly DockerRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DockerContainerRuntime> _logger;
    private readonly DockerClientConfiguration _configuration;
    private readonly DockerClient _client;
    private readonly ImagePuller _images;
    private readonly PodVolumes _volumes;
    private readonly SemaphoreSlim _pauseBuild = new(1, 1);
    private readonly HashSet<(string PodUid, string Image)> _pulledFor = [];

    /// <summary>Initializes a new instance of the <see cref="DockerContainerRuntime"/> class.</summary>
    /// <param name="options">The runtime's settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public DockerContainerRuntime(IOptions<DockerRuntimeOptions> options, TimeProvider time, ILogger<DockerContainerRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _configuration = new DockerClientConfiguration(new Uri(_options.Endpoint), defaultTimeout: TimeSpan.FromSeconds(100));
        _client = _configuration.CreateClient(ApiVersion);
        _images = new ImagePuller(_client, time);
        _volumes = new PodVolumes(Path.GetFullPath(_options.Root));
    }

    /// <inheritdoc />
    public string Name => "docker";

    /// <inheritdoc />
    public SandboxScope Scope => SandboxScope.Container;

    /// <inheritdoc />
    public bool RunsImages => true;

    /// <summary>Gets the Engine API client (for the runtime's own tests and tools).</summary>
    internal DockerClient Client => _client;

    /// <inheritdoc />
    public async Task<SandboxStatus> CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var existing = await InspectAsync(DockerLabels.SandboxName(spec.PodUid), cancellationToken);
        if (existing is { State.Running: true })
        {
            return await ReadyAsync(existing, cancellationToken);
        }

        // Images first, as the kubelet pulls before it creates: a container that cannot have its image holds the pod here.
        var waiting = new List<ContainerWaiting>();
        foreach (var image in spec.Images)
        {
            bool pulled;
            lock (_pulledFor)
            {
                pulled = _pulledFor.Contains((spec.PodUid, image.Image));
            }

            var wait = await _images.EnsureAsync(image, pulled, spec.PullCredentials, _options.PullWait, cancellationToken);
            if (wait is null)
            {
                lock (_pulledFor)
                {
                    _pulledFor.Add((spec.PodUid, image.Image));
                }

                continue;
            }

            waiting.Add(wait);
            if (wait.Reason is "ErrImagePull" or "ImagePullBackOff" or "ErrImageNeverPull")
            {
                Log.ImageNotReady(_logger, spec.Namespace, spec.PodName, image.Container, wait.Reason, wait.Message ?? string.Empty);
            }
        }

        if (waiting.Count > 0)
        {
            var waitingNames = waiting.Select(w => w.Container).ToHashSet(StringComparer.Ordinal);
            waiting.AddRange(spec.Images.Where(i => !waitingNames.Contains(i.Container)).Select(i => new ContainerWaiting(i.Container, "ContainerCreating")));
            return new SandboxStatus(SandboxState.Pending, null, null) { Waiting = waiting };
        }

        if (VolumeCheck.FirstFailure(spec.Volumes) is { } failedMount)
        {
            return new SandboxStatus(SandboxState.Pending, null, null, "FailedMount", failedMount)
            {
                Waiting = [.. spec.Images.Select(i => new ContainerWaiting(i.Container, "ContainerCreating", failedMount))],
            };
        }

        _volumes.Prepare(spec.PodUid, spec.Volumes, _time.GetUtcNow());
        await CreateTmpfsVolumesAsync(spec, cancellationToken);
        await EnsurePauseImageAsync(cancellationToken);
        if (existing is null)
        {
            var labels = PodLabels(spec.PodUid, spec.Namespace, spec.PodName, NodeOf(spec.NodeName));
            labels[DockerLabels.Sandbox] = "true";
            try
            {
                await _client.Containers.CreateContainerAsync(
                    new CreateContainerParameters
                    {
                        Name = DockerLabels.SandboxName(spec.PodUid),
                        Image = _options.PauseImage,
                        Hostname = Hostname(spec.PodName),
                        Labels = labels,
                        HostConfig = new HostConfig { NetworkMode = "bridge", IpcMode = "shareable" },
                    },
                    cancellationToken);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Made by a start that is being retried: use it.
            }
        }

        await StartIfNeededAsync(DockerLabels.SandboxName(spec.PodUid), cancellationToken);
        var sandbox = await InspectAsync(DockerLabels.SandboxName(spec.PodUid), cancellationToken)
            ?? throw new ContainerRuntimeException($"the sandbox of pod {spec.PodUid} vanished while it was being created", transient: true);
        Log.SandboxCreated(_logger, spec.Namespace, spec.PodName, sandbox.NetworkSettings?.IPAddress ?? string.Empty);
        return await ReadyAsync(sandbox, cancellationToken);
    }

    /// <inheritdoc />
    public Task<SandboxStatus> RestartSandboxAsync(string podUid, int attempt, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The docker runtime restarts containers one by one; restart the container instead.");

    /// <inheritdoc />
    public async Task<ContainerRunStatus> StartContainerAsync(ContainerLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var name = DockerLabels.RunName(launch.Id);
        var existing = await InspectAsync(name, cancellationToken);
        if (existing is not null && existing.State.Status != "created")
        {
            return ToStatus(launch.Id, existing);
        }

        if (existing is null)
        {
            var latest = (await ListOursAsync(launch.Id.PodUid, cancellationToken))
                .Select(c => DockerLabels.TryReadRun(c.Labels, out var run) && run.ContainerName == launch.Id.ContainerName ? run.Attempt : (int?)null)
                .Max();
            if (latest > launch.Id.Attempt)
            {
                throw new ContainerRunSupersededException(launch.Id, latest.Value);
            }

            var sandbox = await InspectAsync(DockerLabels.SandboxName(launch.Id.PodUid), cancellationToken)
                ?? throw new ContainerRuntimeException($"pod {launch.Id.PodUid} has no sandbox on this node: create it first", transient: false);
            if (launch.Privileged && !_options.AllowPrivileged)
            {
                throw new ContainerRuntimeException(
                    "privileged containers are not allowed on this node (set Runtime__Docker__AllowPrivileged=true to allow them)", transient: false);
            }

            if (!await _images.IsPresentAsync(launch.Image, cancellationToken))
            {
                var wait = await _images.EnsureAsync(
                    new ContainerImage(launch.Id.ContainerName, launch.Image, launch.ImagePullPolicy), false, [], _options.PullWait, cancellationToken);
                if (wait is not null)
                {
                    throw new ContainerRuntimeException(wait.Message ?? wait.Reason, transient: false);
                }
            }

            var labels = PodLabels(launch.Id.PodUid, launch.Namespace, launch.PodName, sandbox.Config.Labels.TryGetValue(DockerLabels.Node, out var node) ? node : NodeOf(null));
            labels[DockerLabels.Container] = launch.Id.ContainerName;
            labels[DockerLabels.Attempt] = launch.Id.Attempt.ToString(CultureInfo.InvariantCulture);
            try
            {
                await _client.Containers.CreateContainerAsync(ContainerSpec.For(launch, name, sandbox.ID, labels, _volumes), cancellationToken);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Made by a start that is being retried.
            }
            catch (DockerApiException e)
            {
                throw new ContainerRuntimeException($"Error response from daemon: {DockerErrors.Message(e)}", transient: false, e);
            }
            catch (InvalidOperationException e)
            {
                throw new ContainerRuntimeException(e.Message, transient: false, e);
            }
        }

        string? startError = null;
        try
        {
            await _client.Containers.StartContainerAsync(name, new ContainerStartParameters(), cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode != HttpStatusCode.NotFound)
        {
            // The command could not be started (not found, not executable): the run ends at once, as the kubelet says.
            startError = DockerErrors.Message(e);
        }

        await RemoveOlderRunsAsync(launch.Id, cancellationToken);
        var started = await InspectAsync(name, cancellationToken)
            ?? throw new ContainerRuntimeException($"container {launch.Id} vanished as it started", transient: true);
        var status = ToStatus(launch.Id, started);
        if (startError is not null && status.State == ContainerRunState.Exited)
        {
            status = status with { Reason = "StartError", ExitCode = 128, Message = startError };
        }

        return status;
    }

    /// <inheritdoc />
    public async Task StopContainerAsync(ContainerRunId id, StopMode mode, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.Containers.KillContainerAsync(
                DockerLabels.RunName(id), new ContainerKillParameters { Signal = mode == StopMode.Kill ? "SIGKILL" : "SIGTERM" }, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone or no longer running: nothing to stop.
        }
    }

    /// <inheritdoc />
    public async Task RemoveSandboxAsync(string podUid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(podUid);
        var containers = await ListOursAsync(podUid, cancellationToken);
        foreach (var container in containers.OrderBy(c => c.Labels.ContainsKey(DockerLabels.Sandbox)))
        {
            await RemoveContainerAsync(container.ID, cancellationToken);
        }

        var volumes = await _client.Volumes.ListAsync(
            new VolumesListParameters { Filters = Filter("label", $"{DockerLabels.PodUid}={podUid}") }, cancellationToken);
        foreach (var volume in volumes.Volumes ?? [])
        {
            try
            {
                await _client.Volumes.RemoveAsync(volume.Name, force: true, cancellationToken);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone.
            }
        }

        _volumes.Remove(podUid);
        lock (_pulledFor)
        {
            _pulledFor.RemoveWhere(p => p.PodUid == podUid);
        }
    }

    /// <inheritdoc />
    public async Task<ContainerRunStatus?> GetContainerAsync(ContainerRunId id, CancellationToken cancellationToken = default)
    {
        var container = await InspectAsync(DockerLabels.RunName(id), cancellationToken);
        return container is null || !DockerLabels.TryReadRun(container.Config.Labels, out var labelled) || labelled != id ? null : ToStatus(id, container);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerRunStatus>> ListContainersAsync(CancellationToken cancellationToken = default)
    {
        var runs = new List<ContainerRunStatus>();
        foreach (var container in await ListOursAsync(null, cancellationToken))
        {
            if (!DockerLabels.TryReadRun(container.Labels, out var id))
            {
                continue;
            }

            if (await InspectAsync(container.ID, cancellationToken) is { } inspected)
            {
                runs.Add(ToStatus(id, inspected));
            }
        }

        return runs;
    }

    /// <inheritdoc />
    public Task AcknowledgeExitAsync(ContainerRunId id, CancellationToken cancellationToken = default)
    {
        _volumes.Acknowledge(id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateVolumeAsync(string podUid, SandboxVolume volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Kind == SandboxVolumeKind.Files)
        {
            _volumes.Update(podUid, volume, _time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _configuration.Dispose();
        _pauseBuild.Dispose();
    }

    /// <summary>Reads a container by name or id; <see langword="null"/> when the engine has none.</summary>
    internal async Task<ContainerInspectResponse?> InspectAsync(string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.Containers.InspectContainerAsync(nameOrId, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private ContainerRunStatus ToStatus(ContainerRunId id, ContainerInspectResponse container)
    {
        var state = container.State;
        var started = ParseTime(state.StartedAt) ?? new DateTimeOffset(container.Created.ToUniversalTime(), TimeSpan.Zero);
        if (state.Running || state.Restarting || state.Paused || (state.Status == "created" && string.IsNullOrEmpty(state.Error)))
        {
            return new ContainerRunStatus(id, ContainerRunState.Running, started);
        }

        var finished = ParseTime(state.FinishedAt) ?? started;
        var acknowledged = _volumes.IsAcknowledged(id);
        if (!string.IsNullOrEmpty(state.Error) && ParseTime(state.StartedAt) is null)
        {
            return new ContainerRunStatus(id, ContainerRunState.Exited, finished, finished, 128, "StartError", state.Error, acknowledged);
        }

        return state.OOMKilled
            ? new ContainerRunStatus(id, ContainerRunState.Exited, started, finished, 137, "OOMKilled", null, acknowledged)
            : new ContainerRunStatus(id, ContainerRunState.Exited, started, finished, (int)state.ExitCode, null, null, acknowledged);
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year > 1 ? time : null;

    private async Task<SandboxStatus> ReadyAsync(ContainerInspectResponse sandbox, CancellationToken cancellationToken)
    {
        var ip = sandbox.NetworkSettings?.IPAddress;
        var gateway = sandbox.NetworkSettings?.Gateway;
        if (string.IsNullOrEmpty(gateway))
        {
            gateway = await BridgeGatewayAsync(cancellationToken);
        }

        return SandboxStatus.Ready(string.IsNullOrEmpty(ip) ? "127.0.0.1" : ip, gateway);
    }

    private async Task<string> BridgeGatewayAsync(CancellationToken cancellationToken)
    {
        try
        {
            var bridge = await _client.Networks.InspectNetworkAsync("bridge", cancellationToken);
            return bridge.IPAM?.Config?.FirstOrDefault(c => !string.IsNullOrEmpty(c.Gateway))?.Gateway ?? "127.0.0.1";
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return "127.0.0.1";
        }
    }

    private async Task StartIfNeededAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.StartContainerAsync(name, new ContainerStartParameters(), cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotModified)
        {
            // Already running.
        }
    }

    private async Task CreateTmpfsVolumesAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        foreach (var volume in spec.Volumes.Where(v => v.Kind == SandboxVolumeKind.EmptyDir && v.InMemory))
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal) { ["type"] = "tmpfs", ["device"] = "tmpfs" };
            if (volume.SizeLimitBytes is { } size)
            {
                options["o"] = $"size={size.ToString(CultureInfo.InvariantCulture)}";
            }

            await _client.Volumes.CreateAsync(
                new VolumesCreateParameters
                {
                    Name = DockerLabels.TmpfsVolumeName(spec.PodUid, volume.Name),
                    Driver = "local",
                    DriverOpts = options,
                    Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [DockerLabels.PodUid] = spec.PodUid },
                },
                cancellationToken);
        }
    }

    private async Task RemoveOlderRunsAsync(ContainerRunId id, CancellationToken cancellationToken)
    {
        // The run before this one stays (kubectl logs --previous); older ones go, as the kubelet's garbage collector does.
        foreach (var container in await ListOursAsync(id.PodUid, cancellationToken))
        {
            if (DockerLabels.TryReadRun(container.Labels, out var run) && run.ContainerName == id.ContainerName && run.Attempt < id.Attempt - 1)
            {
                await RemoveContainerAsync(container.ID, cancellationToken);
            }
        }
    }

    private async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone already, or its removal is under way.
        }
    }

    /// <summary>Lists the containers of ours (of this node, if it has a name), of one pod or all.</summary>
    private async Task<IList<ContainerListResponse>> ListOursAsync(string? podUid, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, bool>(StringComparer.Ordinal) { [podUid is null ? DockerLabels.PodUid : $"{DockerLabels.PodUid}={podUid}"] = true };
        if (_options.NodeName.Length > 0)
        {
            labels[$"{DockerLabels.Node}={_options.NodeName}"] = true;
        }

        return await _client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal) { ["label"] = labels } },
            cancellationToken);
    }

    private string NodeOf(string? specNode) => _options.NodeName.Length > 0 ? _options.NodeName : specNode ?? string.Empty;

    private static Dictionary<string, string> PodLabels(string podUid, string ns, string podName, string node) =>
        new(StringComparer.Ordinal)
        {
            [DockerLabels.PodUid] = podUid,
            [DockerLabels.Namespace] = ns,
            [DockerLabels.PodName] = podName,
            [DockerLabels.Node] = node,
        };

    private static string Hostname(string podName) => podName.Length <= 63 ? podName : podName[..63];

    private static Dictionary<string, IDictionary<string, bool>> Filter(string key, string value) =>
        new(StringComparer.Ordinal) { [key] = new Dictionary<string, bool>(StringComparer.Ordinal) { [value] = true } };
}
