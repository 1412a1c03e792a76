using DurableKube.Domain.Events;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Kubelet.Probes;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Events;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Probes;

/// <summary>
/// The kubelet's prober manager for one node (pkg/kubelet/prober): it watches the pods bound to the node (and lists
/// them again now and then), runs one worker per probe of each running container (per pod, container, run and kind)
/// at the probe's period, and signals a pod's workflow only when a result changes (<see cref="ContainerProbed"/>),
/// repeating the current result every <see cref="ProbeOptions.ResendInterval"/> so a lost signal heals. It never runs
/// inside an orchestrator. A node whose runtime is pod-scoped (ACI) is not probed here: its pods are not reachable
/// from this host, and its runtime runs probes of its own.
/// </summary>
public sealed class NodeProber : BackgroundService
{
    private readonly NodeRuntime _node;
    private readonly IObjectStore _store;
    private readonly IWorkflowClient _workflows;
    private readonly ProbeRunner _runner;
    private readonly IOptions<ProbeOptions> _options;
    private readonly TimeProvider _time;
    private readonly IEventRecorder _events;
    private readonly ILogger<NodeProber> _logger;
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<WorkerKey, Worker> _workers = [];
    private readonly Lock _lock = new();

    /// <summary>Initializes a new instance of the <see cref="NodeProber"/> class.</summary>
    /// <param name="node">The node and its runtime.</param>
    /// <param name="store">Where the pods are read and watched.</param>
    /// <param name="workflows">Signals the pods' workflows.</param>
    /// <param name="runner">Runs the probes' handlers.</param>
    /// <param name="options">The prober's intervals.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the kubelet's Unhealthy and ProbeWarning events go; none if not given.</param>
    public NodeProber(
        NodeRuntime node, IObjectStore store, IWorkflowClient workflows, ProbeRunner runner, IOptions<ProbeOptions> options, TimeProvider time, ILogger<NodeProber> logger,
        IEventRecorder? events = null)
    {
        _events = events ?? NullEventRecorder.Instance;
        _node = node;
        _store = store;
        _workflows = workflows;
        _runner = runner;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the number of probe workers running now.</summary>
    public int WorkerCount
    {
        get
        {
            lock (_lock)
            {
                return _workers.Count;
            }
        }
    }

    /// <summary>Whether a pod is one this prober probes: bound to its node, not finished, with a probe on some container.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node's name.</param>
    /// <returns><see langword="true"/> if its probes run here.</returns>
    public static bool Probes(V1Pod pod, string node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec?.NodeName == node && pod.Status?.Phase is not ("Succeeded" or "Failed")
            && Containers(pod).Any(c => ContainerProbes.Of(c) is not null);
    }

    /// <summary>Gets what a worker sees of a container in its pod's status.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">The container's name.</param>
    /// <returns>The target, or <see langword="null"/> if the status shows no run of it.</returns>
    public static ProbeTarget? TargetOf(V1Pod pod, string container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []).FirstOrDefault(s => s.Name == container);
        if (status is null || !ContainerRunId.TryParse(status.ContainerID, out var run))
        {
            return null;
        }

        var running = status.State?.Running;
        return new ProbeTarget(
            run.Attempt,
            running is not null,
            running?.StartedAt is { } started ? KubeTime.ToInstant(started) : null,
            status.Started == true,
            pod.Metadata.DeletionTimestamp is not null);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        List<Worker> workers;
        lock (_lock)
        {
            workers = [.. _workers.Values];
            _workers.Clear();
        }

        foreach (var worker in workers)
        {
            await worker.Stop.CancelAsync();
        }

        await Task.WhenAll(workers.Select(w => w.Task));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var relist = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            relist.CancelAfter(_options.Value.RelistInterval);
            try
            {
                var list = await _store.ListAsync(ResourceTypes.Pods, null, new ListQuery(o => Probes((V1Pod)o, _node.Name)), stoppingToken);
                lock (_lock)
                {
                    _pods.Clear();
                    foreach (var pod in list.Items.Cast<V1Pod>())
                    {
                        _pods[pod.Metadata.Uid] = pod;
                    }
                }

                Reconcile(stoppingToken);
                await foreach (var change in _store.WatchAsync(ResourceTypes.Pods, null, list.ResourceVersion, relist.Token))
                {
                    var pod = (V1Pod)change.Object;
                    lock (_lock)
                    {
                        if (change.Type != WatchEventType.Deleted && Probes(pod, _node.Name))
                        {
                            _pods[pod.Metadata.Uid] = pod;
                        }
                        else
                        {
                            _pods.Remove(pod.Metadata.Uid);
                        }
                    }

                    Reconcile(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // Time to list again.
            }
            catch (Exception e)
            {
                Log.ProberError(_logger, e, _node.Name, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static IEnumerable<V1Container> Containers(V1Pod pod) =>
        (pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Concat(pod.Spec?.Containers ?? []);

    /// <summary>Starts a worker for each probe of each running container that has none for its run, and ends the workers nobody needs.</summary>
    private void Reconcile(CancellationToken stoppingToken)
    {
        lock (_lock)
        {
            var wanted = new HashSet<WorkerKey>();
            foreach (var pod in _pods.Values)
            {
                foreach (var container in Containers(pod))
                {
                    if (TargetOf(pod, container.Name) is not { Running: true } target)
                    {
                        continue;
                    }

                    foreach (var kind in Enum.GetValues<ProbeKind>().Where(k => ProbeAddress.Of(container, k) is not null))
                    {
                        var key = new WorkerKey(pod.Metadata.Uid, container.Name, target.Attempt, kind);
                        wanted.Add(key);
                        if (!_workers.ContainsKey(key))
                        {
                            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                            _workers[key] = new Worker(stop, Task.Run(() => RunWorkerAsync(key, stop.Token), CancellationToken.None));
                        }
                    }
                }
            }

            foreach (var (key, worker) in _workers.Where(w => !wanted.Contains(w.Key)).ToList())
            {
                _workers.Remove(key);
                worker.Stop.Cancel();
            }
        }
    }

    private async Task RunWorkerAsync(WorkerKey key, CancellationToken stop)
    {
        var state = ProbeWorker.Start(key.Kind, key.Attempt);
        ProbeResult? sent = null;
        DateTimeOffset? reportedAt = null;
        var origin = _time.GetUtcNow();
        var tick = origin;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                V1Pod? pod;
                lock (_lock)
                {
                    pod = _pods.GetValueOrDefault(key.PodUid);
                }

                var container = pod is null ? null : Containers(pod).FirstOrDefault(c => c.Name == key.Container);
                if (pod is null || container is null || ProbeAddress.Of(container, key.Kind) is not { } probe || TargetOf(pod, key.Container) is not { } target)
                {
                    return;
                }

                var timings = ProbeTimings.From(probe);
                var now = _time.GetUtcNow();
                var decision = ProbeWorker.Decide(state, timings, target, now);
                if (decision == ProbeDecision.Stop)
                {
                    return;
                }

                if (decision == ProbeDecision.Probe)
                {
                    var observation = await _runner.RunAsync(
                        new ProbeCall(probe, container, pod.Status?.PodIP, new ContainerRunId(key.PodUid, key.Container, key.Attempt), _node.Runtime), stop);
                    Report(pod, key, observation);
                    var step = ProbeWorker.Observe(state, timings, observation);
                    state = step.State;
                    // A change is told; so is a first verdict equal to the initial value, which the workflow may not share
                    // (it took ready from the status after a restart, say).
                    if (step.Changed || (step.Decided && sent != state.Result))
                    {
                        await SignalAsync(pod, key, state.Result, observation.Output, stop);
                        sent = state.Result;
                        reportedAt = _time.GetUtcNow();
                    }
                }

                if (reportedAt is { } last && _time.GetUtcNow() - last >= _options.Value.ResendInterval)
                {
                    // Say it again: a signal lost on the way (a workflow that was restarting) heals.
                    await SignalAsync(pod, key, state.Result, null, stop);
                    reportedAt = _time.GetUtcNow();
                }

                // The next tick of the period, however long this look took (the kubelet's ticker).
                var lookedAt = _time.GetUtcNow();
                tick = ProbeWorker.NextTick(origin, timings.Period, tick, lookedAt);
                if (tick > lookedAt)
                {
                    await Task.Delay(tick - lookedAt, _time, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the run is over, or the prober is stopping.
        }
        catch (Exception e)
        {
            Log.ProberError(_logger, e, _node.Name, e.Message);
        }
        finally
        {
            lock (_lock)
            {
                // Ended on its own (its run is over): the next change of the pod starts another if one is due.
                _workers.Remove(key);
            }
        }
    }

    private void Report(V1Pod pod, WorkerKey key, ProbeObservation observation)
    {
        var probe = key.Kind.ToString();
        if (observation.Errored)
        {
            Log.ProbeErrored(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, key.Container, probe, observation.Output);
            RecordProbe(pod, key, EventReport.Warning, "Unhealthy", $"{probe} probe errored and resulted in unknown state: {observation.Output}");
        }
        else if (observation.Result == ProbeResult.Failure)
        {
            Log.ProbeFailed(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, key.Container, probe, observation.Output.TrimEnd());
            RecordProbe(pod, key, EventReport.Warning, "Unhealthy", $"{probe} probe failed: {observation.Output.TrimEnd()}");
        }
        else if (observation.Warning)
        {
            Log.ProbeWarning(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, key.Container, probe, observation.Output.TrimEnd());
            RecordProbe(pod, key, EventReport.Warning, "ProbeWarning", $"{probe} probe warning: {observation.Output.TrimEnd()}");
        }
    }

    /// <summary>Records the kubelet's prober event about a container (its <c>Unhealthy</c> and <c>ProbeWarning</c>).</summary>
    private void RecordProbe(V1Pod pod, WorkerKey key, string type, string reason, string message)
    {
        var init = pod.Spec?.InitContainers?.Any(c => c.Name == key.Container) == true;
        _events.Record(new EventReport("kubelet", _node.Name, EventReport.Reference(pod, EventReport.ContainerPath(key.Container, init)), type, reason, message));
    }

    private async Task SignalAsync(V1Pod pod, WorkerKey key, ProbeResult result, string? output, CancellationToken stop)
    {
        var signal = new ContainerProbed(key.Container, key.Attempt, key.Kind, result, _time.GetUtcNow(), string.IsNullOrEmpty(output) ? null : output.TrimEnd());
        await _workflows.RaiseEventAsync(PodIdentity.WorkflowInstanceIdFor(key.PodUid), PodSignal.EventName, new PodEvent(signal), stop);
        Log.ProbeReported(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, key.Container, key.Attempt, key.Kind.ToString(), result.ToString());
    }

    private readonly record struct WorkerKey(string PodUid, string Container, int Attempt, ProbeKind Kind);

    private sealed record Worker(CancellationTokenSource Stop, Task Task);
}
