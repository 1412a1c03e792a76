using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DurableKube.Ports.Runtime;

namespace DurableKube.Testing.Runtime;

/// <summary>
/// A container runtime in memory for tests of the layers above it. Runs do what <see cref="Behavior"/>
/// says (exit after a delay with a code, run until stopped, fail to start); tests can also end runs
/// themselves with <see cref="Exit"/>. Exits are pushed to <see cref="WatchExitsAsync"/> as a real
/// runtime pushes them.
/// </summary>
public sealed class FakeContainerRuntime : IContainerRuntime
{
    private readonly ConcurrentDictionary<ContainerRunId, FakeRun> _runs = new();
    private readonly ConcurrentQueue<ContainerLaunch> _launches = new();
    private readonly ConcurrentQueue<string> _removedSandboxes = new();
    private readonly ConcurrentQueue<(ContainerRunId Run, StopMode Mode, DateTimeOffset At)> _stops = new();
    private readonly Channel<ContainerRunStatus> _exits = Channel.CreateUnbounded<ContainerRunStatus>();
    private readonly ConcurrentDictionary<ContainerRunId, IReadOnlyList<LogLine>> _logs = new();
    private readonly ConcurrentDictionary<ContainerRunId, Channel<LogLine>> _live = new();
    private readonly ConcurrentQueue<(ContainerRunId Id, LogReadOptions Options)> _reads = new();
    private readonly ConcurrentQueue<(ContainerRunId Id, ExecSpec Spec)> _execs = new();
    private readonly ConcurrentQueue<SandboxSpec> _sandboxes = new();
    private readonly ConcurrentQueue<(string PodUid, SandboxVolume Volume)> _volumeUpdates = new();
    private readonly ConcurrentDictionary<string, bool> _lostSandboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string PodUid, int Attempt)> _sandboxRestarts = new();
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="FakeContainerRuntime"/> class.</summary>
    /// <param name="time">The clock start and finish times come from.</param>
    public FakeContainerRuntime(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "fake";

    /// <summary>Gets or sets the scope the fake claims (container-scoped unless a test makes it pod-scoped).</summary>
    public SandboxScope Scope { get; set; } = SandboxScope.Container;

    /// <inheritdoc />
    public bool RunsImages => false;

    /// <summary>Gets or sets what a sandbox creation answers, or throws; <see langword="null"/> for a ready sandbox on 127.0.0.1.</summary>
    public Func<SandboxSpec, SandboxStatus>? OnCreateSandbox { get; set; }

    /// <summary>Gets or sets what each started run does; by default it runs until stopped, and exits on SIGTERM.</summary>
    public Func<ContainerLaunch, FakeBehavior> Behavior { get; set; } = _ => FakeBehavior.RunUntilStopped;

    /// <summary>Gets every launch, in the order runs were started.</summary>
    public IReadOnlyList<ContainerLaunch> Launches => _launches.ToList();

    /// <summary>Gets the uids of the pods whose sandboxes were removed.</summary>
    public IReadOnlyList<string> RemovedSandboxes => _removedSandboxes.ToList();

    /// <summary>Gets every stop signal sent to a running run, in order, with when it came.</summary>
    public IReadOnlyList<(ContainerRunId Run, StopMode Mode, DateTimeOffset At)> Stops => _stops.ToList();

    /// <summary>Gets every log read, in order, with its options.</summary>
    public IReadOnlyList<(ContainerRunId Id, LogReadOptions Options)> Reads => _reads.ToList();

    /// <summary>Gets the status of every run.</summary>
    public IReadOnlyList<ContainerRunStatus> Runs => _runs.Values.Select(r => r.Status).ToList();

    /// <summary>Ends a running run with an exit code, as if its process exited.</summary>
    /// <param name="id">The run.</param>
    /// <param name="exitCode">The exit code.</param>
    /// <param name="reason">The runtime's reason, if any.</param>
    /// <returns>Whether the run was running.</returns>
    public bool Exit(ContainerRunId id, int exitCode, string? reason = null)
    {
        if (!_runs.TryGetValue(id, out var run))
        {
            return false;
        }

        ContainerRunStatus exited;
        lock (run)
        {
            if (run.Status.State == ContainerRunState.Exited)
            {
                return false;
            }

            exited = run.Status with { State = ContainerRunState.Exited, FinishedAt = _time.GetUtcNow(), ExitCode = exitCode, Reason = reason };
            run.Status = exited;
        }

        _exits.Writer.TryWrite(exited);
        return true;
    }

    /// <summary>Loses a run, as a runtime that was wiped would: it is no longer listed or known.</summary>
    /// <param name="id">The run.</param>
    public void Forget(ContainerRunId id) => _runs.TryRemove(id, out _);

    /// <summary>
    /// Loses a pod's sandbox as if someone deleted it behind the kubelet's back (an ACI group deleted in the portal): its
    /// running runs exit 137 with <c>ContainerStatusUnknown</c> (and are pushed as exits, as the ACI runtime's observation
    /// reports them), and, pod-scoped, its restarts and starts throw <see cref="SandboxNotFoundException"/> until the
    /// sandbox is created again.
    /// </summary>
    /// <param name="podUid">The pod.</param>
    public void LoseSandbox(string podUid)
    {
        _lostSandboxes[podUid] = true;
        foreach (var id in _runs.Keys.Where(k => k.PodUid == podUid).ToList())
        {
            Exit(id, 137, "ContainerStatusUnknown");
        }
    }

    /// <summary>Gets the pod-scoped sandbox restarts asked for, in order.</summary>
    public IReadOnlyList<(string PodUid, int Attempt)> SandboxRestarts => _sandboxRestarts.ToList();

    /// <summary>Gives a run (started or not) a log of its own, instead of its behaviour's lines.</summary>
    /// <param name="id">The run.</param>
    /// <param name="lines">The lines.</param>
    public void AddLog(ContainerRunId id, params LogLine[] lines) => _logs[id] = lines;

    /// <summary>Opens a channel whose lines a follow of the run's log receives after the stored ones.</summary>
    /// <param name="id">The run.</param>
    /// <returns>The channel: write lines to it, complete it to end the follow.</returns>
    public Channel<LogLine> Live(ContainerRunId id) => _live[id] = Channel.CreateUnbounded<LogLine>();

    /// <summary>Gets the sandbox specs asked for, in order (volumes and pull credentials included).</summary>
    public IReadOnlyList<SandboxSpec> Sandboxes => _sandboxes.ToList();

    /// <summary>Gets the in-place volume updates asked for, in order.</summary>
    public IReadOnlyList<(string PodUid, SandboxVolume Volume)> VolumeUpdates => _volumeUpdates.ToList();

    /// <summary>Gets or sets a value indicating whether <see cref="UpdateVolumeAsync"/> refuses, as ACI does.</summary>
    public bool CannotUpdateVolumes { get; set; }

    /// <inheritdoc />
    public Task<SandboxStatus> CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        _sandboxes.Enqueue(spec);
        _lostSandboxes.TryRemove(spec.PodUid, out _);
        return Task.FromResult(OnCreateSandbox?.Invoke(spec) ?? SandboxStatus.Ready("127.0.0.1", "127.0.0.1"));
    }

    /// <inheritdoc />
    public Task UpdateVolumeAsync(string podUid, SandboxVolume volume, CancellationToken cancellationToken = default)
    {
        if (CannotUpdateVolumes)
        {
            throw new NotSupportedException("The fake runtime was told it cannot change the files of a running pod's volume.");
        }

        _volumeUpdates.Enqueue((podUid, volume));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Pod-scoped only: ends the pod's running runs (exit 137) so the next starts take generation <paramref name="attempt"/>.</remarks>
    public Task<SandboxStatus> RestartSandboxAsync(string podUid, int attempt, CancellationToken cancellationToken = default)
    {
        if (Scope != SandboxScope.Pod)
        {
            throw new NotSupportedException("The fake runtime is container-scoped.");
        }

        if (_lostSandboxes.ContainsKey(podUid))
        {
            return Task.FromException<SandboxStatus>(new SandboxNotFoundException(podUid, $"The fake sandbox of pod {podUid} is gone (deleted outside DurableKube?)."));
        }

        _sandboxRestarts.Enqueue((podUid, attempt));
        foreach (var id in _runs.Keys.Where(k => k.PodUid == podUid).ToList())
        {
            Exit(id, 137);
        }

        return Task.FromResult(SandboxStatus.Ready("127.0.0.1", "127.0.0.1"));
    }

    /// <inheritdoc />
    public Task<ContainerRunStatus> StartContainerAsync(ContainerLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (Scope == SandboxScope.Pod && _lostSandboxes.ContainsKey(launch.Id.PodUid))
        {
            return Task.FromException<ContainerRunStatus>(new SandboxNotFoundException(launch.Id.PodUid, $"The fake sandbox of pod {launch.Id.PodUid} is gone (deleted outside DurableKube?)."));
        }

        if (Scope == SandboxScope.Container && !_runs.ContainsKey(launch.Id)
            && _runs.Keys.Where(k => k.PodUid == launch.Id.PodUid && k.ContainerName == launch.Id.ContainerName).Select(k => k.Attempt).DefaultIfEmpty(-1).Max() is var latest
            && latest > launch.Id.Attempt)
        {
            // As the real runtimes: attempts only grow, so this is a stale start.
            return Task.FromException<ContainerRunStatus>(new ContainerRunSupersededException(launch.Id, latest));
        }

        var behavior = Behavior(launch);
        var now = _time.GetUtcNow();
        var created = false;
        var run = _runs.GetOrAdd(launch.Id, id =>
        {
            created = true;
            return new FakeRun(
                behavior.FailsToStart
                    ? new ContainerRunStatus(id, ContainerRunState.Exited, now, now, 128, "StartError", $"exec: \"{launch.Command[0]}\": executable file not found in $PATH")
                    : new ContainerRunStatus(id, ContainerRunState.Running, now),
                behavior);
        });

        if (created)
        {
            _launches.Enqueue(launch);
            if (behavior.ExitAfter is { } delay)
            {
                _ = ExitLaterAsync(launch.Id, delay, behavior.ExitCode);
            }
        }

        return Task.FromResult(run.Status);
    }

    /// <inheritdoc />
    public Task StopContainerAsync(ContainerRunId id, StopMode mode, CancellationToken cancellationToken = default)
    {
        if (_runs.TryGetValue(id, out var run) && run.Status.State == ContainerRunState.Running)
        {
            _stops.Enqueue((id, mode, _time.GetUtcNow()));
            if (mode == StopMode.Kill)
            {
                Exit(id, 137);
            }
            else if (!run.Behavior.IgnoresSigterm)
            {
                _ = ExitLaterAsync(id, TimeSpan.FromMilliseconds(20), 143);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveSandboxAsync(string podUid, CancellationToken cancellationToken = default)
    {
        foreach (var id in _runs.Keys.Where(k => k.PodUid == podUid).ToList())
        {
            _runs.TryRemove(id, out _);
        }

        _removedSandboxes.Enqueue(podUid);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ContainerRunStatus?> GetContainerAsync(ContainerRunId id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_runs.TryGetValue(id, out var run) ? run.Status : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<ContainerRunStatus>> ListContainersAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ContainerRunStatus>>(Runs);

    /// <inheritdoc />
    public async IAsyncEnumerable<ContainerRunStatus> WatchExitsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var exit in _exits.Reader.ReadAllAsync(cancellationToken))
        {
            yield return exit;
        }
    }

    /// <inheritdoc />
    public Task AcknowledgeExitAsync(ContainerRunId id, CancellationToken cancellationToken = default)
    {
        if (_runs.TryGetValue(id, out var run))
        {
            lock (run)
            {
                run.Status = run.Status with { Acknowledged = true };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogLine> ReadLogAsync(ContainerRunId id, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        _reads.Enqueue((id, options));
        IReadOnlyList<LogLine> lines;
        if (_logs.TryGetValue(id, out var stored))
        {
            lines = stored;
        }
        else if (_runs.TryGetValue(id, out var run))
        {
            lines = run.Behavior.Log.Select(l => new LogLine(run.Status.StartedAt, "stdout", l, Complete: true)).ToList();
        }
        else
        {
            throw new ContainerRuntimeException($"no log for {id}", transient: false);
        }

        var selected = lines.Where(l => options.Since is null || l.Time >= options.Since);
        if (options.TailLines is { } tail)
        {
            selected = selected.TakeLast((int)Math.Min(tail, int.MaxValue));
        }

        foreach (var line in selected)
        {
            await Task.Yield();
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

    /// <summary>Gets or sets what a command run in a container does: its exit code and output; unset, every exec fails as unsupported.</summary>
    public Func<ContainerRunId, ExecSpec, FakeExec>? OnExec { get; set; }

    /// <summary>Gets every command run in a container, in order.</summary>
    public IReadOnlyList<(ContainerRunId Id, ExecSpec Spec)> Execs => _execs.ToList();

    /// <inheritdoc />
    public Task<IExecSession> ExecAsync(ContainerRunId id, ExecSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _execs.Enqueue((id, spec));
        if (OnExec is null)
        {
            throw new NotSupportedException("The fake runtime was given no exec behaviour.");
        }

        if (!_runs.TryGetValue(id, out var run) || run.Status.State != ContainerRunState.Running)
        {
            throw new ContainerRuntimeException($"Container run {id} is not running.", transient: false);
        }

        return Task.FromResult<IExecSession>(new FakeExecSession(OnExec(id, spec)));
    }

    /// <summary>Gets or sets what <see cref="GetUsageAsync"/> answers (<see langword="null"/>: no figures, as ACI).</summary>
    public NodeUsage? Usage { get; set; }

    /// <summary>Gets or sets what <see cref="GetUsageAsync"/> throws, if anything.</summary>
    public Exception? UsageFailure { get; set; }

    /// <inheritdoc />
    public Task<NodeUsage?> GetUsageAsync(CancellationToken cancellationToken = default) =>
        UsageFailure is { } failure ? Task.FromException<NodeUsage?>(failure) : Task.FromResult(Usage);

    /// <inheritdoc />
    public Task<NodeDescription> DescribeNodeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new NodeDescription(
            "fake-host", "127.0.0.1",
            new Dictionary<string, string> { ["cpu"] = "2", ["memory"] = "4096Mi", ["pods"] = "110", ["ephemeral-storage"] = "10Gi" },
            "linux", "amd64", "6.1.0", "Fake OS", "fake://1.0.0"));

    private async Task ExitLaterAsync(ContainerRunId id, TimeSpan delay, int exitCode)
    {
        await Task.Delay(delay, _time);
        Exit(id, exitCode);
    }

    private sealed class FakeRun(ContainerRunStatus status, FakeBehavior behavior)
    {
        public ContainerRunStatus Status { get; set; } = status;

        public FakeBehavior Behavior { get; } = behavior;
    }
}
