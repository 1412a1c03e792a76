using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Threading.Channels;
using DurableKube.Domain.Networking;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Logs;
using DurableKube.Runtime.Process.Processes;
using DurableKube.Runtime.Process.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Runtime.Process;

/// <summary>
/// A container runtime whose containers are processes on this Linux machine: each run is the container's
/// command, started through a small <c>sh</c> shim that outlives this process, so runs survive a crash of
/// the host and a new runtime on the same state directory re-adopts them. See README.md of this project.
/// </summary>
/// <remarks>
/// Disposing the runtime detaches from the runs and leaves them running (as a crash would); a clean stop of
/// the host ends them through <see cref="ShutdownAsync"/>, which the hosted service calls.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed partial class ProcessContainerRuntime : IContainerRuntime, IAsyncDisposable, IDisposable
{
    /// <summary>The runtime's name, the scheme of its container ids.</summary>
    public const string RuntimeName = "process";

    /// <summary>How often live runs' output is copied into their logs, and follows look for new lines.</summary>
    internal static readonly TimeSpan LogPollInterval = TimeSpan.FromMilliseconds(100);

    private const string ShimSearchPath = "/usr/sbin:/usr/bin:/sbin:/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan EndTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ShortPoll = TimeSpan.FromMilliseconds(10);

    private readonly ProcessRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StateLayout _layout;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly SemaphoreSlim _addressGate = new(1, 1);
    private readonly Ipv4Cidr _podRange;
    private long _nextPodAddress = 1;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LiveRun> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LogPump> _pumps = new(StringComparer.Ordinal);
    private readonly Lock _subscribersLock = new();
    private readonly List<Channel<ContainerRunStatus>> _subscribers = [];
    private FileStream? _rootLock;
    private HostTools? _tools;
    private string? _shimScript;
    private string? _mountScript;
    private string? _mountRefusal;
    private volatile bool _initialized;
    private volatile bool _closed;

    /// <summary>Initializes a new instance of the <see cref="ProcessContainerRuntime"/> class.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ProcessContainerRuntime(IOptions<ProcessRuntimeOptions> options, TimeProvider time, ILogger<ProcessContainerRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.Root, nameof(options));
        _time = time;
        _logger = logger;
        _layout = new StateLayout(Path.GetFullPath(_options.Root));
        _podRange = Ipv4Cidr.Parse(_options.PodCidr);
    }

    /// <inheritdoc />
    public string Name => RuntimeName;

    /// <inheritdoc />
    public SandboxScope Scope => SandboxScope.Container;

    /// <inheritdoc />
    public bool RunsImages => false;

    /// <summary>Gets the state directory, absolute.</summary>
    internal string Root => _layout.Root;

    /// <summary>
    /// Takes the state directory (one runtime at a time), writes the shim and re-adopts the runs an earlier
    /// runtime left running. Every operation does this first if it has not been done.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes once the runtime is ready.</returns>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_initialized)
            {
                return;
            }

            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("The process container runtime runs on Linux only.");
            }

            Directory.CreateDirectory(_layout.PodsDirectory);
            _rootLock = TakeRoot();
            try
            {
                _tools = HostTools.Find();
                _shimScript = ShimScript.Install(_layout.Root);
                _mountScript = MountScript.Install(_layout.Root);
                _mountRefusal = _options.MountNamespaces
                    ? _tools.ProbeMountNamespaces(_layout.Root)
                    : "mount namespaces are turned off (Runtime:Process:MountNamespaces=false)";
                if (_mountRefusal is not null)
                {
                    Log.NoMountNamespaces(_logger, _mountRefusal);
                }

                var adopted = await AdoptAsync(cancellationToken);
                _initialized = true;
                Log.RuntimeStarted(_logger, _layout.Root, adopted);
            }
            finally
            {
                if (!_initialized)
                {
                    await _rootLock.DisposeAsync();
                    _rootLock = null;
                }
            }
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <summary>
    /// Detaches from the runs and leaves them running, as a crash of the host would: a new runtime on the same
    /// state directory re-adopts them. Background work stops and the state directory is released.
    /// </summary>
    /// <returns>A task that completes once detached.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        KillAllExecs();
        await _lifetime.CancelAsync();
        var loops = _live.Values.Select(run => run.Completion).ToArray();
        await Task.WhenAll(loops).WaitAsync(EndTimeout, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var run in _live.Values)
        {
            run.Dispose();
        }

        _live.Clear();
        lock (_subscribersLock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }

        if (_rootLock is not null)
        {
            await _rootLock.DisposeAsync();
            _rootLock = null;
        }

        foreach (var pump in _pumps.Values)
        {
            pump.Dispose();
        }

        _pumps.Clear();
        _lifetime.Dispose();
        _initGate.Dispose();
        _addressGate.Dispose();
    }

    /// <summary>Detaches as <see cref="DisposeAsync"/> does, for containers that dispose synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        return _initialized ? Task.CompletedTask : InitializeAsync(cancellationToken);
    }

    private FileStream TakeRoot()
    {
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: released by the kernel when this process dies,
            // so a crashed runtime never blocks the next one.
            return new FileStream(_layout.LockFile, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = RunFiles.PrivateFile,
            });
        }
        catch (IOException ex)
        {
            throw new ContainerRuntimeException(
                $"The state directory {_layout.Root} is in use by another process runtime.", transient: true, ex);
        }
    }

    private async Task<int> AdoptAsync(CancellationToken cancellationToken)
    {
        var adopted = 0;
        foreach (var pod in _layout.EnumeratePods())
        {
            DeleteStagingFolders(pod);
            foreach (var id in _layout.EnumerateRuns(pod))
            {
                var paths = _layout.Run(id);
                ForgetArgv(paths);
                var status = await GetStatusCoreAsync(id, paths, drain: true, gateHeld: false, cancellationToken);
                if (status is { State: ContainerRunState.Running })
                {
                    if (IsShimAlive(paths, out var shimPid))
                    {
                        RecordChildIdentity(paths, shimPid);
                    }

                    Track(id, paths, shim: null);
                    Log.RunAdopted(_logger, id);
                    adopted++;
                }
            }
        }

        return adopted;
    }

    private void DeleteStagingFolders(string podUid)
    {
        var containers = Path.Combine(_layout.PodDirectory(podUid), "containers");
        if (!Directory.Exists(containers))
        {
            return;
        }

        foreach (var staging in Directory.EnumerateDirectories(containers, ".*.staging", SearchOption.AllDirectories))
        {
            TryDeleteDirectory(staging);
        }
    }

    private SemaphoreSlim Gate(string key) => _gates.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));

    private LogPump Pump(RunPaths paths) => _pumps.GetOrAdd(paths.Directory, _ => new LogPump(paths, _time));

    private static LaunchRecord? ReadLaunch(RunPaths paths)
    {
        var text = RunFiles.TryReadText(paths.Launch);
        try
        {
            return text is null ? null : JsonSerializer.Deserialize(text, StateJsonContext.Default.LaunchRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ValidateId(ContainerRunId id)
    {
        if (!StateLayout.IsSafeSegment(id.PodUid) || !StateLayout.IsSafeSegment(id.ContainerName) || id.Attempt < 0)
        {
            throw new ArgumentException($"Invalid container run id '{id}'.", nameof(id));
        }
    }

    private static void ValidatePodUid(string podUid)
    {
        if (!StateLayout.IsSafeSegment(podUid))
        {
            throw new ArgumentException($"Invalid pod uid '{podUid}'.", nameof(podUid));
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 3)
            {
                // A file appeared while deleting (a shim's last write): go again.
            }
        }
    }
}
