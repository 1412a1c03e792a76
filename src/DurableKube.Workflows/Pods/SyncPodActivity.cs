using DurableKube.Domain.Events;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Scheduling;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Services;
using DurableKube.Ports.Events;
using DurableKube.Ports.Runtime;
using DurableKube.Domain.Kinds;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// The kubelet's hands: runs a plan's commands against the store and the container runtime, then
/// writes the pod's status, all in one activity so a pod reaches Running in one round trip.
/// </summary>
/// <remarks>
/// Idempotent, because the workflow retries it: binding keeps an existing binding, a sandbox or run
/// that exists is returned as it is, stops and removals of what is gone do nothing, and the status
/// written is computed from the state, not accumulated.
/// </remarks>
public sealed class SyncPodActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncPod";

    private readonly ObjectRegistry _registry;
    private readonly INodeRuntimes _nodes;
    private readonly IOptionsMonitor<KubeletOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncPodActivity> _logger;
    private readonly PodBinder _binder;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncPodActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="nodes">The nodes and their runtimes: a pod runs on the runtime of its node.</param>
    /// <param name="options">The kubelet options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="binder">The scheduler's part: chooses a node and binds the pod to it.</param>
    /// <param name="events">Where the kubelet's events go; none if not given.</param>
    public SyncPodActivity(
        ObjectRegistry registry, INodeRuntimes nodes, IOptionsMonitor<KubeletOptions> options, TimeProvider time, ILogger<SyncPodActivity> logger, PodBinder binder,
        IEventRecorder? events = null)
    {
        _binder = binder;
        _events = events ?? NullEventRecorder.Instance;
        _registry = registry;
        _nodes = nodes;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the commands and writes the status.</summary>
    /// <param name="request">The state and commands.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcomes.</returns>
    public async Task<SyncPodResult> RunAsync(SyncPodRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = request.State;
        var key = new ObjectKey(ResourceTypes.Pods, state.Pod.Namespace, state.Pod.Name);
        var pod = await ReadPodAsync(key, state.Pod.Uid, cancellationToken);
        if (state.Termination is null && (pod is null || pod.Metadata.DeletionTimestamp is not null))
        {
            // The pod is going or gone and the workflow was not told (a lost signal): tell it now, and
            // let it plan its termination instead of running a plan made for a live pod.
            var killAt = pod?.Metadata.DeletionTimestamp is { } deletion
                ? KubeTime.ToInstant(deletion)
                : _time.GetUtcNow();
            return new SyncPodResult([new DeletionObserved(killAt, ObjectGone: pod is null)], _options.CurrentValue.ToSettings());
        }

        var outcomes = new List<KubeletOutcome>();
        var writtenRevision = state.WrittenRevision;
        var written = new List<V1Pod>();
        var acting = false;
        PodLifecycleState? found = null;
        foreach (var command in request.Commands)
        {
            var current = PodLifecycle.Apply(state, outcomes);
            if (!acting && PodLifecycle.WritesStatusBefore(command))
            {
                // Once per sync, the kubelet sets the status it found before the runtime acts: an exit as Error or Completed
                // before the restart, ContainerCreating (Init:0/N, PodInitializing) before the containers start. Its status
                // manager writes it without holding the runtime back, so here it is written after the commands, before
                // the status they lead to: the same writes in the same order, and no restart waits for a write.
                acting = true;
                if (pod is not null && current.Revision != writtenRevision)
                {
                    writtenRevision = current.Revision;
                    found = current;
                }
            }

            var produced = await ExecuteAsync(command, current, key, pod, cancellationToken);
            if (produced.Count == 0)
            {
                // It could not go ahead (the pod is gone, no node yet): the commands after it depend on it.
                break;
            }

            outcomes.AddRange(produced);
            if (produced[^1] is PodUnschedulable or SandboxPending or SandboxRestarted or SandboxLost)
            {
                break;
            }

            if (produced[^1] is PodBound bound && pod is not null)
            {
                pod.Spec.NodeName = bound.NodeName;
            }
        }

        if (found is not null && !outcomes.OfType<PodRemoved>().Any() && await WriteStatusAsync(key, found, cancellationToken) is { } before)
        {
            written.Add(before);
        }

        if (pod is not null && !outcomes.OfType<PodRemoved>().Any())
        {
            var synced = PodLifecycle.Apply(state, outcomes);
            var backoffs = PodLifecycle.BackoffsFound(synced, request.Commands);
            if (backoffs.Count > 0)
            {
                // A container waits out its back-off: the termination is written first (if not yet), then CrashLoopBackOff,
                // as the kubelet's next sync writes it; two writes, so a watch sees both.
                if (synced.Revision != writtenRevision && await WriteStatusAsync(key, synced, cancellationToken) is { } exited)
                {
                    written.Add(exited);
                }

                outcomes.AddRange(backoffs);
                synced = PodLifecycle.Apply(synced, backoffs);
            }

            if (await WriteStatusAsync(key, synced, cancellationToken) is { } after)
            {
                written.Add(after);
            }
        }

        if (pod is not null)
        {
            // Best effort and after the writes: the recorder returns at once and never fails the sync.
            var node = state.NodeName ?? pod.Spec.NodeName;
            var events = KubeletEvents.ForOutcomes(pod, request.Commands, outcomes).Concat(written.SelectMany(KubeletEvents.ForStatus));
            foreach (var ev in events)
            {
                _events.Record(new EventReport(KubeletComponent, node, EventReport.Reference(pod, ev.FieldPath), ev.Type, ev.Reason, ev.Message));
            }
        }

        if (!state.SandboxRemoved && !outcomes.Any(o => o is SandboxRemoved or PodRemoved))
        {
            // A removed sandbox took its runs and their acknowledgements with it.
            await AcknowledgeExitsAsync(state, pod, cancellationToken);
        }

        return new SyncPodResult(outcomes, _options.CurrentValue.ToSettings());
    }

    /// <summary>
    /// Acknowledges to the runtime the exits the workflow's state holds (not those this sync found: its result may never
    /// reach the workflow, when a redelivered activity's result is a duplicate), so the node agent stops reporting them.
    /// Best effort: an exit not acknowledged is only reported again.
    /// </summary>
    private async Task AcknowledgeExitsAsync(PodLifecycleState state, V1Pod? pod, CancellationToken cancellationToken)
    {
        if (RuntimeOf(state, pod) is not { } runtime)
        {
            return;
        }

        foreach (var track in state.Containers)
        {
            foreach (var run in new[] { track.PreviousRun, track.Run }.OfType<ContainerRun>().Where(r => r.Exited))
            {
                try
                {
                    await runtime.AcknowledgeExitAsync(new ContainerRunId(state.Pod.Uid, track.Name, run.Attempt), cancellationToken);
                }
                catch (Exception e) when (e is ContainerRuntimeException or IOException)
                {
                    Log.AcknowledgeFailed(_logger, state.Pod.Namespace, state.Pod.Name, track.Name, run.Attempt, e.Message);
                }
            }
        }
    }

    private async Task<V1Pod?> ReadPodAsync(ObjectKey key, string uid, CancellationToken cancellationToken)
    {
        var pod = await _registry.GetAsync<V1Pod>(key.Type, key.Namespace, key.Name, cancellationToken);
        return pod?.Metadata.Uid == uid ? pod : null;
    }

    private async Task<IReadOnlyList<KubeletOutcome>> ExecuteAsync(
        KubeletCommand command, PodLifecycleState state, ObjectKey key, V1Pod? pod, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case BindPod:
                return pod is null ? [] : [await BindAsync(pod, cancellationToken)];

            case CreateSandbox:
                if (pod is null || (state.NodeName ?? pod.Spec.NodeName) is not { } node)
                {
                    return [];
                }

                return [await CreateSandboxAsync(pod, state, node, cancellationToken)];

            case StartContainer start:
                return pod is null ? [] : [await StartAsync(pod, state, start, cancellationToken)];

            case RestartSandbox restart:
                if (RuntimeOf(state, pod) is not { } restarting)
                {
                    return [];
                }

                try
                {
                    await restarting.RestartSandboxAsync(state.Pod.Uid, restart.Attempt, cancellationToken);
                }
                catch (SandboxNotFoundException e)
                {
                    // Deleted behind our back: the kubelet makes a pod's vanished sandbox again (or fails the pod, for Never).
                    return [Lost(state, restart.Attempt, e)];
                }

                Log.SandboxRestarted(_logger, state.Pod.Namespace, state.Pod.Name, restart.Attempt);
                return [new SandboxRestarted(restart.Attempt, _time.GetUtcNow())];

            case StopContainer stop:
                if (RuntimeOf(state, pod) is { } stopping)
                {
                    if (stop.Message is { } why && stop.Signal == StopSignal.Terminate)
                    {
                        // The kubelet's Killing message for a failed liveness or startup probe.
                        Log.ProbeKilling(_logger, state.Pod.Namespace, state.Pod.Name, why);
                    }

                    await stopping.StopContainerAsync(
                        new ContainerRunId(state.Pod.Uid, stop.Name, stop.Attempt),
                        stop.Signal == StopSignal.Kill ? StopMode.Kill : StopMode.Graceful,
                        cancellationToken);
                    Log.StopSent(_logger, state.Pod.Namespace, state.Pod.Name, stop.Name, stop.Attempt, stop.Signal);
                }

                return [new StopSent(stop.Name, stop.Attempt, stop.Signal)];

            case RemoveSandbox:
                if (RuntimeOf(state, pod) is { } removing)
                {
                    await removing.RemoveSandboxAsync(state.Pod.Uid, cancellationToken);
                }

                return [new SandboxRemoved()];

            case RemovePod:
                // The last word on a pod is its final status; then it goes.
                if (pod is not null)
                {
                    _ = await WriteStatusAsync(key, state, cancellationToken);
                }

                return [await RemovePodAsync(key, state.Pod.Uid, cancellationToken)];

            case Relist:
                return await RelistAsync(state, pod, cancellationToken);

            case RefreshVolumes:
                if (pod is not null && RuntimeOf(state, pod) is { } updating)
                {
                    await RefreshVolumesAsync(pod, updating, state, cancellationToken);
                }

                return [new VolumesRefreshed()];

            case EnforceDeadline enforce:
                Log.DeadlineExceeded(_logger, state.Pod.Namespace, state.Pod.Name, (long)(state.ActiveDeadline ?? TimeSpan.Zero).TotalSeconds);
                return [new DeadlineEnforced(enforce.At)];

            default:
                throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command));
        }
    }

    private SandboxLost Lost(PodLifecycleState state, int attempt, SandboxNotFoundException e)
    {
        Log.SandboxLost(_logger, state.Pod.Namespace, state.Pod.Name, e.Message);
        return new SandboxLost(attempt, _time.GetUtcNow(), e.Message);
    }

    /// <summary>The runtime of the node the pod is bound to, or <see langword="null"/> if it is bound nowhere this control plane serves.</summary>
    private IContainerRuntime? RuntimeOf(PodLifecycleState state, V1Pod? pod) =>
        (state.NodeName ?? pod?.Spec.NodeName) is { Length: > 0 } node ? _nodes.RuntimeOf(node) : null;

    /// <summary>
    /// Creates the pod's sandbox on its node's runtime, or asks how the one being created is doing. A pod-scoped
    /// runtime is given every container at once, and its sandbox may stay pending for a while (ACI: images pulled,
    /// a container group provisioned), or be refused for now (a quota): the pod then waits with the reason, and the
    /// workflow asks again later.
    /// </summary>
    private async Task<KubeletOutcome> CreateSandboxAsync(V1Pod pod, PodLifecycleState state, string node, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var now = _time.GetUtcNow();
        if (_nodes.RuntimeOf(node) is not { } runtime)
        {
            var message = $"node \"{node}\" has no container runtime in this control plane: no kubelet will run this pod until it has";
            Log.SandboxPending(_logger, state.Pod.Namespace, state.Pod.Name, NoRuntimeReason, message);
            return new SandboxPending(new SandboxWait(NoRuntimeReason, message, [], now + options.SandboxRetry));
        }

        // The kubelet's volume manager: every volume set up (ConfigMaps and Secrets read now) before the sandbox is made.
        var podScoped = runtime.Scope == SandboxScope.Pod;
        var names = podScoped ? ConfigSources.UsedByPod(pod.Spec) : ConfigSources.UsedByVolumes(pod.Spec);
        foreach (var reference in pod.Spec.ImagePullSecrets ?? [])
        {
            names.Add(null, reference.Name);
        }

        var config = await ReadConfigAsync(state.Pod.Namespace, names, cancellationToken);
        var allocatable = (pod.Spec.Volumes ?? []).Any(v => v.DownwardAPI is not null || v.Projected is not null)
            ? (await _registry.GetAsync<V1Node>(ResourceTypes.Nodes, null, node, cancellationToken))?.Status?.Allocatable
            : null;
        var volumes = PodVolumes.Resolve(pod, config, options.AllowHostPath, allocatable);
        var failure = volumes.Failure ?? (podScoped ? FlatFilesOnly(runtime, volumes.Volumes) : null);
        if (failure is not null)
        {
            // The kubelet's FailedMount: the pod waits in ContainerCreating and says which volume and why, until the object appears.
            Log.FailedMount(_logger, state.Pod.Namespace, state.Pod.Name, failure);
            return new SandboxPending(new SandboxWait(FailedMountReason, failure, Creating(state), now + options.ConfigRetry), podScoped);
        }

        var credentials = ContainerLaunches.PullCredentials(pod, config, out var missingPullSecrets);
        foreach (var missing in missingPullSecrets)
        {
            Log.PullSecretMissing(_logger, state.Pod.Namespace, state.Pod.Name, missing);
        }

        var spec = new SandboxSpec(state.Pod.Uid, state.Pod.Namespace, state.Pod.Name, node)
        {
            RestartPolicy = pod.Spec.RestartPolicy ?? "Always",
            Volumes = volumes.Volumes,
            PullCredentials = credentials,
            Images = ContainerLaunches.Images(pod),
        };
        if (podScoped)
        {
            if (!ContainerLaunches.TryResolveAll(pod, node, state.SandboxGeneration, runtime.RunsImages, config, out var launches, out var failed))
            {
                // The whole pod is created at once, so one container that cannot be made holds back every one.
                var (name, error) = failed!.Value;
                Log.NotCreated(_logger, state.Pod.Namespace, state.Pod.Name, name, error.Message);
                var waits = state.Containers.Select(c => c.Name == name
                    ? new ContainerWait(c.Name, error.Reason, error.Message)
                    : new ContainerWait(c.Name, "ContainerCreating", null)).ToList();
                return new SandboxPending(new SandboxWait(null, null, waits, now + (error.WaitsForObject ? options.ConfigRetry : options.SandboxRetry)));
            }

            spec = spec with { Containers = launches };
        }

        SandboxStatus sandbox;
        try
        {
            sandbox = await runtime.CreateSandboxAsync(spec, cancellationToken);
        }
        catch (ContainerRuntimeException e) when (!e.Transient)
        {
            // The runtime refused the sandbox as asked (ACI: a group ARM finds invalid): trying again as it is will not
            // help, but the spec or the runtime may change, so the pod waits saying why and is tried again later.
            Log.SandboxPending(_logger, state.Pod.Namespace, state.Pod.Name, FailedCreateReason, e.Message);
            return new SandboxPending(new SandboxWait(FailedCreateReason, e.Message, Creating(state), now + options.SandboxRetry));
        }

        if (sandbox.State == SandboxState.Ready)
        {
            // An ACI group with no ports has no address: the pod then shows none.
            return new SandboxCreated(
                new SandboxAddresses(sandbox.PodIP ?? string.Empty, sandbox.HostIP ?? sandbox.PodIP ?? string.Empty), runtime.Scope == SandboxScope.Pod);
        }

        if (sandbox.Reason is { } reason)
        {
            Log.SandboxPending(_logger, state.Pod.Namespace, state.Pod.Name, reason, sandbox.Message ?? string.Empty);
        }

        var waiting = sandbox.Waiting.Select(w => new ContainerWait(w.Container, w.Reason, w.Message)).ToList();
        var retryAt = now + (sandbox.Reason is null ? options.SandboxPoll : options.SandboxRetry);
        return new SandboxPending(new SandboxWait(sandbox.Reason, sandbox.Message, waiting, retryAt));
    }

    /// <summary>The reason a pod waits with when its node has no runtime here.</summary>
    public const string NoRuntimeReason = PodLifecycle.NoRuntimeReason;

    /// <summary>The reason a pod waits with when the runtime refused to create its sandbox (the kubelet's event reason).</summary>
    public const string FailedCreateReason = "FailedCreatePodSandBox";

    /// <summary>The reason a pod waits with when a volume it asks for cannot be provided (the kubelet's event reason).</summary>
    public const string FailedMountReason = PodLifecycle.FailedMountReason;

    private static List<ContainerWait> Creating(PodLifecycleState state) =>
        state.Containers.Select(c => new ContainerWait(c.Name, "ContainerCreating", null)).ToList();

    /// <summary>
    /// The FailedMount of a volume of files a pod-scoped runtime (Azure Container Instances, whose secret volumes hold files
    /// at their root only) cannot place: one with a file in a directory (an item's nested path), or <see langword="null"/>.
    /// </summary>
    private static string? FlatFilesOnly(IContainerRuntime runtime, IReadOnlyList<SandboxVolume> volumes)
    {
        foreach (var volume in volumes.Where(v => v.Kind == SandboxVolumeKind.Files))
        {
            if (volume.Files.FirstOrDefault(f => f.Path.Contains('/', StringComparison.Ordinal)) is { } nested)
            {
                return $"MountVolume.SetUp failed for volume \"{volume.Name}\" : the {runtime.Name} runtime places a volume's files at its root only, "
                    + $"and \"{nested.Path}\" is in a directory; give the item a path without '/'";
            }
        }

        return null;
    }

    /// <summary>
    /// Gives a running pod's volumes that show a ConfigMap or Secret their current content, in place (the kubelet's remount
    /// of such volumes; a subPath mount keeps what it had, which is the runtime's part). A volume that cannot be resolved
    /// now (its object deleted) keeps its files, as in Kubernetes; a runtime that cannot update volumes (ACI) is logged once.
    /// </summary>
    private async Task RefreshVolumesAsync(V1Pod pod, IContainerRuntime runtime, PodLifecycleState state, CancellationToken cancellationToken)
    {
        var config = await ReadConfigAsync(state.Pod.Namespace, ConfigSources.UsedByVolumes(pod.Spec), cancellationToken);
        var allocatable = state.NodeName is { } node && (pod.Spec.Volumes ?? []).Any(v => v.Projected is not null)
            ? (await _registry.GetAsync<V1Node>(ResourceTypes.Nodes, null, node, cancellationToken))?.Status?.Allocatable
            : null;
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (volume.ConfigMap is null && volume.Secret is null && volume.Projected is null)
            {
                continue;
            }

            var single = KubeJson.Clone(pod);
            single.Spec.Volumes = [volume];
            var resolved = PodVolumes.Resolve(single, config, _options.CurrentValue.AllowHostPath, allocatable);
            if (resolved.Failure is { } failure)
            {
                Log.FailedMount(_logger, state.Pod.Namespace, state.Pod.Name, failure);
                continue;
            }

            try
            {
                await runtime.UpdateVolumeAsync(state.Pod.Uid, resolved.Volumes[0], cancellationToken);
                Log.VolumeUpdated(_logger, state.Pod.Namespace, state.Pod.Name, volume.Name, volume.Secret is not null ? "Secret" : volume.ConfigMap is not null ? "ConfigMap" : "sources");
            }
            catch (NotSupportedException)
            {
                Log.VolumeNotUpdatable(_logger, state.Pod.Namespace, state.Pod.Name, volume.Name);
                return;
            }
        }
    }

    /// <summary>Reads the ConfigMaps and Secrets of a namespace by name, once each; those not found are left out.</summary>
    private async Task<ConfigSources> ReadConfigAsync(string ns, ConfigNames names, CancellationToken cancellationToken)
    {
        if (names.ConfigMaps.Count == 0 && names.Secrets.Count == 0)
        {
            return ConfigSources.Empty;
        }

        var configMaps = new Dictionary<string, V1ConfigMap>(StringComparer.Ordinal);
        foreach (var name in names.ConfigMaps)
        {
            if (await _registry.GetAsync<V1ConfigMap>(ResourceTypes.ConfigMaps, ns, name, cancellationToken) is { } found)
            {
                configMaps[name] = found;
            }
        }

        var secrets = new Dictionary<string, V1Secret>(StringComparer.Ordinal);
        foreach (var name in names.Secrets)
        {
            if (await _registry.GetAsync<V1Secret>(ResourceTypes.Secrets, ns, name, cancellationToken) is { } found)
            {
                secrets[name] = found;
            }
        }

        return new ConfigSources(configMaps, secrets);
    }

    /// <summary>Asks the runtime about every run the state believes alive; exits it missed come back as outcomes.</summary>
    private async Task<IReadOnlyList<KubeletOutcome>> RelistAsync(PodLifecycleState state, V1Pod? pod, CancellationToken cancellationToken)
    {
        var outcomes = new List<KubeletOutcome>();
        var runtime = RuntimeOf(state, pod);
        if (runtime is null)
        {
            outcomes.Add(new Relisted());
            return outcomes;
        }

        foreach (var track in state.Containers.Where(c => c.IsRunning))
        {
            var id = new ContainerRunId(state.Pod.Uid, track.Name, track.Run!.Attempt);
            var run = await runtime.GetContainerAsync(id, cancellationToken);
            if (run is { State: ContainerRunState.Running })
            {
                continue;
            }

            // Exited, or gone from the runtime altogether (a vanished container, in Kubernetes' words).
            outcomes.Add(new RunExited(run is null ? ContainerExits.Vanished(id, _time.GetUtcNow()) : ContainerExits.From(run, _time.GetUtcNow())));
        }

        outcomes.Add(new Relisted(runtime.Scope == SandboxScope.Pod));
        return outcomes;
    }

    /// <summary>The Services' variables a container gets: those of its namespace (unless enableServiceLinks is false) and the kubernetes Service.</summary>
    private async Task<IReadOnlyList<KeyValuePair<string, string>>> ServiceEnvironmentAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var inNamespace = pod.Spec.EnableServiceLinks == false
            ? []
            : await _registry.ListAsync<V1Service>(ResourceTypes.Services, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        var kubernetes = await _registry.GetAsync<V1Service>(ResourceTypes.Services, "default", "kubernetes", cancellationToken);
        return ServiceEnvironment.For(pod, inNamespace, kubernetes);
    }

    private Task<KubeletOutcome> BindAsync(V1Pod pod, CancellationToken cancellationToken) =>
        _binder.BindAsync(pod, cancellationToken);

    private async Task<KubeletOutcome> StartAsync(V1Pod pod, PodLifecycleState state, StartContainer start, CancellationToken cancellationToken)
    {
        var container = EphemeralContainers.FindContainer(pod.Spec, start.Name);
        if (container is null)
        {
            return new ContainerNotCreated(start.Name, ContainerCreateError.Config($"container \"{start.Name}\" is not in the pod spec"));
        }

        if (RuntimeOf(state, pod) is not { } runtime)
        {
            return new ContainerNotCreated(start.Name, new ContainerCreateError(ContainerCreateError.RuntimeErrorReason, $"node \"{state.NodeName}\" has no container runtime in this control plane"));
        }

        if (runtime.Scope == SandboxScope.Pod && state.Find(start.Name)?.Role == ContainerRole.Ephemeral)
        {
            // A pod-scoped runtime made the pod's containers with its sandbox, and can add none to it.
            return new ContainerNotCreated(start.Name, new ContainerCreateError(
                ContainerCreateError.RuntimeErrorReason, $"node \"{state.NodeName}\" runs whole pods and cannot add an ephemeral container to a running one"));
        }

        // A resourceFieldRef to a limit the container does not set takes the node's allocatable amount.
        var allocatable = (container.Env ?? []).Any(e => e.ValueFrom?.ResourceFieldRef is not null) && state.NodeName is { Length: > 0 } nodeName
            ? (await _registry.GetAsync<V1Node>(ResourceTypes.Nodes, null, nodeName, cancellationToken))?.Status?.Allocatable
            : null;
        var services = await ServiceEnvironmentAsync(pod, cancellationToken);
        var config = await ReadConfigAsync(state.Pod.Namespace, ConfigSources.UsedByEnvironment(container), cancellationToken);
        if (!ContainerResolver.TryResolve(pod, container, state.NodeName, state.Sandbox, out var resolved, out var error, runtime.RunsImages, allocatable, services, config))
        {
            // A ConfigMap, Secret or key that is missing may appear: tried again, and woken when it does.
            Log.NotCreated(_logger, state.Pod.Namespace, state.Pod.Name, start.Name, error!.Message);
            return new ContainerNotCreated(start.Name, error, error.WaitsForObject ? _time.GetUtcNow() + _options.CurrentValue.ConfigRetry : null);
        }

        foreach (var (reason, message) in resolved!.Warnings)
        {
            Log.KubeletWarning(_logger, state.Pod.Namespace, state.Pod.Name, reason, message);
        }

        var launch = ContainerLaunches.For(pod, container, resolved!, start.Attempt);
        ContainerRunStatus run;
        try
        {
            run = await runtime.StartContainerAsync(launch, cancellationToken);
        }
        catch (SandboxNotFoundException e)
        {
            return Lost(state, start.Attempt, e);
        }
        catch (ContainerRuntimeException e) when (!e.Transient)
        {
            return new ContainerNotCreated(start.Name, new ContainerCreateError(ContainerCreateError.RuntimeErrorReason, e.Message));
        }
        catch (ContainerRunSupersededException e)
        {
            // An activity runs at least once: this is an earlier turn's sync, run again after a crash, long after its
            // workflow moved on. It fails before it writes anything; its workflow has dropped its result already.
            Log.StaleStart(_logger, state.Pod.Namespace, state.Pod.Name, start.Name, start.Attempt, e.LatestAttempt);
            throw;
        }

        Log.Started(_logger, state.Pod.Namespace, state.Pod.Name, start.Name, start.Attempt);
        return new ContainerStarted(start.Name, new ContainerRun(
            start.Attempt,
            run.StartedAt,
            run.State == ContainerRunState.Exited ? run.FinishedAt ?? run.StartedAt : null,
            run.State == ContainerRunState.Exited ? run.ExitCode ?? 128 : null,
            run.State == ContainerRunState.Exited ? run.Reason : null,
            run.State == ContainerRunState.Exited ? run.Message : null));
    }

    private async Task<KubeletOutcome> RemovePodAsync(ObjectKey key, string uid, CancellationToken cancellationToken)
    {
        // The kubelet's last word is a delete with no grace left: the API's rules then remove the pod, or,
        // while finalizers hold it, leave it terminating for them. Either way the kubelet is done with it.
        try
        {
            await _registry.DeleteAsync(key, DeleteOptions.ForUid(uid, gracePeriodSeconds: 0), cancellationToken);
            Log.Removed(_logger, key.Namespace!, key.Name);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Already gone, or replaced by a new pod of the same name: either way this one is gone.
        }

        return new PodRemoved();
    }

    /// <summary>The component the kubelet's events name.</summary>
    public const string KubeletComponent = "kubelet";

    /// <summary>Writes the pod's status; answers the pod as written, or <see langword="null"/> when nothing changed or it is gone.</summary>
    private async Task<V1Pod?> WriteStatusAsync(ObjectKey key, PodLifecycleState state, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var runtimeName = (state.NodeName is { } node ? _nodes.RuntimeOf(node)?.Name : null) ?? "unknown";
        try
        {
            var outcome = await _registry.UpdateAsync(key, obj =>
            {
                var pod = (V1Pod)obj;
                var status = PodStatusBuilder.Build(pod, state, runtimeName, now);
                if (pod.Status is not null && KubeJson.Serialize(status) == KubeJson.Serialize(pod.Status))
                {
                    return null;
                }

                if (PodStatusBuilder.GoesBack(pod.Status, status))
                {
                    // A stale sync (an activity redelivered after a crash) must not undo what later ones wrote.
                    Log.StaleStatus(_logger, state.Pod.Namespace, state.Pod.Name, pod.Status?.Phase, status.Phase);
                    return null;
                }

                pod.Status = status;
                return pod;
            }, UpdateOptions.Status(state.Pod.Uid), cancellationToken);
            return outcome.Changed ? outcome.Object as V1Pod : null;
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone, or replaced by a new pod of the same name: this status is no one's now.
            return null;
        }
    }
}
