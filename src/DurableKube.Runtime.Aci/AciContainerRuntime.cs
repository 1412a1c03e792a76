using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Aci.Arm;
using DurableKube.Runtime.Aci.Arm.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Runtime.Aci;

/// <summary>
/// The Azure Container Instances runtime (<see cref="SandboxScope.Pod"/>): each pod is one container group, created
/// with all its containers, restarted as a whole, observed in bulk. See docs/aci.md for what ACI forces and what
/// DurableKube assumes of ARM.
/// </summary>
/// <remarks>
/// <para>
/// A group's name comes from the pod (<see cref="GroupNames.For"/>), so a retried create finds the group it made;
/// its tags name the pod, the node and the generation (the attempt number of its runs), which the runtime records
/// itself on each restart instead of trusting ACI's restartCount.
/// </para>
/// <para>
/// Observation budget: ARM's list leaves out <c>instanceView</c>, only a GET of one group has it. So
/// <see cref="ListContainersAsync"/> lists the resource group once (new, deleted or re-provisioned groups) and GETs
/// only the groups that are due: soon after a change, then backing off from <see cref="AciRuntimeOptions.MinReadInterval"/>
/// to <see cref="AciRuntimeOptions.MaxReadInterval"/> while nothing changes. An exit of a long-running container may
/// therefore be seen up to that maximum late. Calls of one activity share one read for <see cref="AciRuntimeOptions.ReadFreshFor"/>.
/// </para>
/// <para>
/// Acknowledged exits are remembered in memory only: after a restart of the host they are reported again, which the
/// port allows (an exit may be reported more than once).
/// </para>
/// </remarks>
public sealed partial class AciContainerRuntime : IContainerRuntime, IDisposable
{
    /// <summary>The runtime's name, the scheme of its container ids.</summary>
    public const string RuntimeName = "aci";

    private readonly AciRuntimeOptions _options;
    private readonly ContainerGroupClient _arm;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, GroupEntry> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ContainerRunId, bool> _acknowledged = new();
    private readonly ConcurrentDictionary<ContainerRunId, ContainerRunStatus> _vanished = new();
    private readonly SemaphoreSlim _observing = new(1, 1);
    private DateTimeOffset? _listedAt;

    /// <summary>Initializes a new instance of the <see cref="AciContainerRuntime"/> class.</summary>
    /// <param name="options">The node.</param>
    /// <param name="arm">The ARM client for the node's resource group.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public AciContainerRuntime(AciRuntimeOptions options, ContainerGroupClient arm, TimeProvider time, ILogger<AciContainerRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(arm);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _arm = arm;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => RuntimeName;

    /// <inheritdoc />
    public SandboxScope Scope => SandboxScope.Pod;

    /// <inheritdoc />
    public bool RunsImages => true;

    /// <summary>Gets the counts of the requests sent to ARM so far.</summary>
    public ArmRequestCounts ArmRequests => _arm.Requests.Counts;

    /// <summary>Why a container that gives args but no command cannot run on ACI.</summary>
    /// <param name="container">The container.</param>
    /// <returns>The message its waiting state shows.</returns>
    public static string ArgsWithoutCommandMessage(string container) =>
        $"container \"{container}\" gives args but no command: Azure Container Instances takes one command array and cannot pass args to "
        + "the image's entrypoint without replacing it; set command to the entrypoint followed by the args";

    /// <inheritdoc />
    public async Task<SandboxStatus> CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Containers.All(c => c.Kind == ContainerKind.Init))
        {
            throw new ContainerRuntimeException($"Pod {spec.Namespace}/{spec.PodName} has no app container for ACI to run.", transient: false);
        }

        if (spec.Containers.FirstOrDefault(c => c.Command.Count == 0 && c.EntrypointArgs.Count > 0) is { } argsOnly)
        {
            // ACI has one command array and no args of its own: args cannot reach an image's entrypoint without replacing it.
            return new SandboxStatus(SandboxState.Pending, null, null)
            {
                Waiting = [.. spec.Containers.Select(c => c == argsOnly
                    ? new ContainerWaiting(c.Id.ContainerName, "CreateContainerConfigError", ArgsWithoutCommandMessage(c.Id.ContainerName))
                    : new ContainerWaiting(c.Id.ContainerName, "ContainerCreating"))],
            };
        }

        var entry = _groups.GetOrAdd(spec.PodUid, uid => new GroupEntry(uid, GroupNames.For(spec.Namespace, spec.PodName, uid)));
        if (await ReadAsync(entry, cancellationToken) is { } existing)
        {
            return GroupObservation.SandboxStatusOf(existing);
        }

        var result = await _arm.CreateOrUpdateAsync(entry.Name, ContainerGroupBuilder.Build(spec, _options), WaitUntil.Started, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            _groups.TryRemove(spec.PodUid, out _);
            return new SandboxStatus(SandboxState.Pending, null, null, refusal.Code, refusal.Message)
            {
                Waiting = [.. spec.Containers.Select(c => new ContainerWaiting(c.Id.ContainerName, "ContainerCreating", refusal.Message))],
            };
        }

        Log.GroupCreated(_logger, entry.Name, spec.Namespace, spec.PodName, spec.PodUid);
        Changed(entry);
        return new SandboxStatus(SandboxState.Pending, null, null)
        {
            Waiting = [.. spec.Containers.Select(c => new ContainerWaiting(c.Id.ContainerName, "ContainerCreating"))],
        };
    }

    /// <inheritdoc />
    public async Task<SandboxStatus> RestartSandboxAsync(string podUid, int attempt, CancellationToken cancellationToken = default)
    {
        var entry = await FindAsync(podUid, cancellationToken) ?? throw Gone(podUid);
        var before = entry.Observed;
        var group = await ReadAsync(entry, cancellationToken, fresh: true) ?? throw Gone(entry, before);
        var generation = GroupObservation.GenerationOf(group);
        if (generation >= attempt)
        {
            return GroupObservation.SandboxStatusOf(group);
        }

        // Restart first and record the generation after: a retry after a failed tag update restarts again (the runs
        // are numbered alike), while the other order could number runs that never restarted.
        // A stopped group (deallocated) is started, which starts every container afresh; a running one is restarted in place.
        var stopped = group.Properties.InstanceView?.State == "Stopped";
        var found = stopped
            ? await _arm.StartAsync(entry.Name, WaitUntil.Completed, cancellationToken)
            : await _arm.RestartAsync(entry.Name, WaitUntil.Completed, cancellationToken);
        if (!found)
        {
            throw Gone(podUid);
        }

        var tags = new Dictionary<string, string>(group.Tags ?? [], StringComparer.Ordinal)
        {
            [GroupNames.GenerationTag] = attempt.ToString(CultureInfo.InvariantCulture),
        };
        await _arm.UpdateTagsAsync(entry.Name, tags, cancellationToken);
        Log.GroupRestarted(_logger, entry.Name, attempt);
        Changed(entry);
        return await ReadAsync(entry, cancellationToken, fresh: true) is { } restarted ? GroupObservation.SandboxStatusOf(restarted) : throw Gone(podUid);
    }

    /// <inheritdoc />
    public async Task<ContainerRunStatus> StartContainerAsync(ContainerLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var id = launch.Id;
        var entry = await FindAsync(id.PodUid, cancellationToken) ?? throw Gone(id.PodUid);
        var before = entry.Observed;
        var group = await ReadAsync(entry, cancellationToken) ?? throw Gone(entry, before);
        var generation = GroupObservation.GenerationOf(group);
        if (generation != id.Attempt)
        {
            throw new ContainerRuntimeException(
                $"Container group {entry.Name} runs generation {generation}, not the run {id} asks for; a pod-scoped runtime starts runs only by restarting the group.",
                transient: generation < id.Attempt);
        }

        if (GroupObservation.RunsOf(group, id.PodUid).FirstOrDefault(run => run.Id == id) is { } started)
        {
            return started with { Acknowledged = _acknowledged.ContainsKey(id) };
        }

        if (!group.Properties.Containers.Any(c => c.Name == id.ContainerName) && !(group.Properties.InitContainers ?? []).Any(c => c.Name == id.ContainerName))
        {
            throw new ContainerRuntimeException($"Container group {entry.Name} has no container {id.ContainerName}.", transient: false);
        }

        Changed(entry);
        throw new ContainerRuntimeException($"Container {id.ContainerName} of container group {entry.Name} has not started yet.", transient: true);
    }

    /// <inheritdoc />
    public async Task StopContainerAsync(ContainerRunId id, StopMode mode, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(id.PodUid, cancellationToken) is not { } entry)
        {
            return;
        }

        if (entry.Observed?.Properties.InstanceView?.State == "Stopped" && _time.GetUtcNow() - entry.ObservedAt < _options.ReadFreshFor)
        {
            return;
        }

        await _arm.StopAsync(entry.Name, cancellationToken);
        Changed(entry);
    }

    /// <inheritdoc />
    public async Task RemoveSandboxAsync(string podUid, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(podUid, cancellationToken) is { } entry)
        {
            await _arm.DeleteAsync(entry.Name, WaitUntil.Completed, cancellationToken);
            Log.GroupDeleted(_logger, entry.Name);
        }

        _groups.TryRemove(podUid, out _);
        foreach (var id in _acknowledged.Keys.Where(id => id.PodUid == podUid))
        {
            _acknowledged.TryRemove(id, out _);
        }

        foreach (var id in _vanished.Keys.Where(id => id.PodUid == podUid))
        {
            _vanished.TryRemove(id, out _);
        }
    }

    /// <inheritdoc />
    public async Task<ContainerRunStatus?> GetContainerAsync(ContainerRunId id, CancellationToken cancellationToken = default)
    {
        if (_vanished.TryGetValue(id, out var vanished))
        {
            return vanished with { Acknowledged = _acknowledged.ContainsKey(id) };
        }

        if (await FindAsync(id.PodUid, cancellationToken) is not { } entry || await ReadAsync(entry, cancellationToken) is not { } group)
        {
            return null;
        }

        return GroupObservation.RunsOf(group, id.PodUid).FirstOrDefault(run => run.Id == id) is { } run
            ? run with { Acknowledged = _acknowledged.ContainsKey(id) }
            : null;
    }

    /// <inheritdoc />
    public Task AcknowledgeExitAsync(ContainerRunId id, CancellationToken cancellationToken = default)
    {
        _acknowledged[id] = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Through ACI's exec API: ACI takes one command line, which it splits at spaces, and runs it on a terminal of
    /// <see cref="AciRuntimeOptions.ExecColumns"/> by <see cref="AciRuntimeOptions.ExecRows"/>, whatever
    /// <see cref="ExecSpec.Tty"/> says; so an argument with a space, tab or quote in it cannot be passed and is refused,
    /// standard error comes with standard output, and the exit code is not known (a session ACI ends reports 0).
    /// </remarks>
    public async Task<IExecSession> ExecAsync(ContainerRunId id, ExecSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var commandLine = CommandLine(spec.Command);
        var run = await GetContainerAsync(id, cancellationToken);
        if (run is null || run.State != ContainerRunState.Running)
        {
            throw new ContainerRuntimeException($"container {id.ContainerName} is not running", transient: false);
        }

        var entry = await FindAsync(id.PodUid, cancellationToken) ?? throw new ContainerRuntimeException($"No container group holds pod {id.PodUid}.", transient: false);
        var session = await _arm.ExecuteCommandAsync(entry.Name, id.ContainerName, commandLine, _options.ExecColumns, _options.ExecRows, cancellationToken)
            ?? throw new ContainerRuntimeException($"container {id.ContainerName} is not in container group {entry.Name}", transient: false);
        var socket = await _arm.ConnectSessionAsync(session, cancellationToken);
        return new AciExecSession(socket, spec.Stdin);
    }

    /// <summary>Makes the one command line ACI's exec takes, refusing what it cannot carry.</summary>
    /// <param name="command">The command and its arguments.</param>
    /// <returns>The command line.</returns>
    internal static string CommandLine(IReadOnlyList<string> command)
    {
        if (command.Count == 0)
        {
            throw new ContainerRuntimeException("no command given to run in the container", transient: false);
        }

        if (command.FirstOrDefault(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\')) is { } argument)
        {
            throw new ContainerRuntimeException(
                $"Azure Container Instances runs one command line split at spaces, so the argument \"{argument}\" cannot be passed; run a script or a shell without arguments (for example: sh) instead",
                transient: false);
        }

        return string.Join(' ', command);
    }

    /// <inheritdoc />
    public Task<NodeDescription> DescribeNodeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new NodeDescription(
            _options.NodeName,
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["cpu"] = _options.Cpu.ToString(CultureInfo.InvariantCulture),
                ["memory"] = $"{((long)Math.Floor(_options.MemoryGi * 1024)).ToString(CultureInfo.InvariantCulture)}Mi",
                ["pods"] = _options.Pods.ToString(CultureInfo.InvariantCulture),
            },
            "linux",
            "amd64",
            "",
            $"Azure Container Instances ({_options.Region})",
            $"{RuntimeName}://{_options.Arm.ApiVersion}"));

    /// <inheritdoc />
    public void Dispose() => _observing.Dispose();

    /// <summary>Reads a group (GET, with instance view), or answers from a read younger than <see cref="AciRuntimeOptions.ReadFreshFor"/>.</summary>
    /// <returns>The group, or <see langword="null"/> if it is gone.</returns>
    private async Task<ContainerGroup?> ReadAsync(GroupEntry entry, CancellationToken cancellationToken, bool fresh = false)
    {
        var now = _time.GetUtcNow();
        lock (entry)
        {
            if (!fresh && entry.Observed is { } recent && now - entry.ObservedAt < _options.ReadFreshFor)
            {
                return recent;
            }
        }

        var group = await _arm.GetAsync(entry.Name, cancellationToken);
        Observed(entry, group, _time.GetUtcNow());
        return group;
    }

    /// <summary>Records a read: news (a different fingerprint) makes the group due again soon; none doubles the wait.</summary>
    private void Observed(GroupEntry entry, ContainerGroup? group, DateTimeOffset now)
    {
        var fingerprint = group is null ? null : GroupObservation.Fingerprint(group);
        lock (entry)
        {
            entry.Backoff = fingerprint != entry.Fingerprint || entry.Backoff <= TimeSpan.Zero
                ? _options.MinReadInterval
                : TimeSpan.FromTicks(Math.Min(entry.Backoff.Ticks * 2, _options.MaxReadInterval.Ticks));
            entry.Fingerprint = fingerprint;
            entry.Observed = group;
            entry.ObservedAt = now;
            entry.DueAt = now + entry.Backoff;
        }
    }

    /// <summary>Makes a group due for a read at the next observation, its back-off reset (it was just created, restarted or stopped).</summary>
    private void Changed(GroupEntry entry)
    {
        lock (entry)
        {
            entry.Backoff = _options.MinReadInterval;
            entry.DueAt = _time.GetUtcNow();
            entry.ObservedAt = DateTimeOffset.MinValue;
        }
    }

    /// <summary>Finds a pod's group: known, or by its uid tag in a list of the resource group.</summary>
    private async Task<GroupEntry?> FindAsync(string podUid, CancellationToken cancellationToken)
    {
        if (_groups.TryGetValue(podUid, out var entry))
        {
            return entry;
        }

        foreach (var group in await _arm.ListAsync(cancellationToken))
        {
            if (IsOurs(group) && group.Name is { } name && GroupObservation.UidOf(group) is { } uid)
            {
                _groups.TryAdd(uid, new GroupEntry(uid, name) { ListedState = group.Properties.ProvisioningState });
            }
        }

        return _groups.GetValueOrDefault(podUid);
    }

    private bool IsOurs(ContainerGroup group) => GroupObservation.NodeOf(group) == _options.NodeName && GroupObservation.UidOf(group) is not null;

    private SandboxNotFoundException Gone(string podUid)
    {
        var name = _groups.TryGetValue(podUid, out var entry) ? entry.Name : "(none)";
        Log.GroupGone(_logger, name, podUid);
        return GoneException(name, podUid);
    }

    /// <summary>A known group a read found gone: its runs are recorded as vanished (as the observation does), and it is forgotten.</summary>
    private SandboxNotFoundException Gone(GroupEntry entry, Arm.Models.ContainerGroup? lastSeen)
    {
        Vanished(entry, lastSeen);
        return GoneException(entry.Name, entry.PodUid);
    }

    private static SandboxNotFoundException GoneException(string name, string podUid) =>
        new(podUid, $"The container group {name} of pod {podUid} is gone (deleted outside DurableKube?).");
}
