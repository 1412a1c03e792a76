using DurableKube.Domain.Kinds;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Scheduling;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using DurableKube.Domain.Events;
using DurableKube.Ports.Events;
using DurableKube.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// The scheduler's part of a pod's workflow: chooses a node (<see cref="NodeSelection"/>) counting what the
/// pods already bound request, and binds the pod to it through the <c>binding</c> subresource.
/// </summary>
/// <remarks>
/// <para>
/// Two pods bound at once must not both take the last room on a node. The store's optimistic concurrency
/// guards one pod's binding, not the set of pods on a node, so, as kube-scheduler does with its assumed pods,
/// this process remembers each pod it has chosen a node for, from the choice until its binding has committed,
/// and counts it with the listed pods in every choice whose list may have been read before that commit (a
/// list started after the commit shows the pod itself; a pod listed already counts once, as listed). Choices
/// are made one at a time under a lock; the lists and writes around them run in parallel. So within one
/// process, which is the local host or one Functions instance, no node is given more than its allocatable.
/// </para>
/// <para>
/// One list of the placed pods serves every scheduling attempt of this process that begins within
/// <see cref="PlacedListReuse"/> of its start, as kube-scheduler decides from its cache rather than a read per pod:
/// 200 pods bound in a burst, or a thousand that do not fit retrying, cost about one list of every pod a second instead
/// of one each. The assumed pods make a shared list as safe as a fresh one within the process; a pod that finished
/// since counts until the next list (a refusal retried, never an overfilled node).
/// </para>
/// <para>
/// Across Functions instances two binds can still overlap, each choosing from a list read before the other's
/// binding committed: a window of one shared list's age and one write (about a second), as several kube-scheduler
/// replicas without leader election would have. The README states it.
/// </para>
/// </remarks>
public sealed class PodBinder
{
    /// <summary>How long a pod is remembered after its binding committed, for choices whose list was read before (a bound on how long one list and choice take).</summary>
    public static readonly TimeSpan CommittedLifetime = TimeSpan.FromMinutes(1);

    /// <summary>How long a pod is remembered whose binding never reported back (a write that neither committed nor failed).</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long after it began one list of the placed pods serves the scheduling attempts that start.</summary>
    public static readonly TimeSpan PlacedListReuse = TimeSpan.FromSeconds(1);

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<PodBinder> _logger;
    private readonly IEventRecorder _events;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Assumption> _assumed = new(StringComparer.Ordinal);
    private PlacedList? _placed;

    /// <summary>Initializes a new instance of the <see cref="PodBinder"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the scheduler's events (Scheduled, FailedScheduling) go; none if not given.</param>
    public PodBinder(ObjectRegistry registry, TimeProvider time, ILogger<PodBinder> logger, IEventRecorder? events = null)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        _events = events ?? NullEventRecorder.Instance;
    }

    /// <summary>The component the scheduler's events name.</summary>
    public const string SchedulerName = "default-scheduler";

    /// <summary>Binds a pod to a node, or says why none can take it.</summary>
    /// <param name="pod">The pod as read from the store.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns><see cref="PodBound"/> or <see cref="PodUnschedulable"/>.</returns>
    public async Task<KubeletOutcome> BindAsync(V1Pod pod, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var refusedAt = _time.GetUtcNow();
        var nodes = await _registry.ListAsync<V1Node>(ResourceTypes.Nodes, null, cancellationToken: cancellationToken);
        if (!string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            // Bound already: by the user (spec.nodeName) or by an earlier try of this activity.
            var node = nodes.FirstOrDefault(n => n.Metadata.Name == pod.Spec.NodeName);
            return node is null
                ? new PodUnschedulable($"node \"{pod.Spec.NodeName}\" not found", refusedAt)
                : new PodBound(node.Metadata.Name, _time.GetUtcNow());
        }

        // A pod no node would take whatever is placed (a node selector nothing matches, a taint not tolerated) is
        // refused on the nodes alone: a thousand such pods retrying must not each list every pod.
        // Otherwise every bound pod that is not terminal, in every namespace: what the nodes hold. The store has no
        // index on spec.nodeName, so it is a list of all pods, filtered as it is read; the attempts that begin within
        // PlacedListReuse of it share it, with the pods this process bound since (see PlacedPods).
        var choice = NodeSelection.RefuseRegardlessOfPlacement(pod, nodes);
        if (choice is null)
        {
            var placed = PlacedPods();
            choice = Choose(pod, nodes, await placed.Read.WaitAsync(cancellationToken), placed.StartedAt);
        }

        if (choice.NodeName is not { } chosen)
        {
            Log.Unschedulable(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, choice.Message!);
            _events.Record(new EventReport(SchedulerName, null, EventReport.Reference(pod), EventReport.Warning, "FailedScheduling", choice.Message!));
            return new PodUnschedulable(choice.Message!, refusedAt);
        }

        // The binding subresource, as a scheduler posts it; a pod bound meanwhile keeps its node.
        var key = new ObjectKey(ResourceTypes.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        UpdateOutcome bound;
        try
        {
            bound = await _registry.UpdateAsync(key, p =>
            {
                var current = (V1Pod)p;
                if (!string.IsNullOrEmpty(current.Spec.NodeName))
                {
                    return null;
                }

                current.Spec.NodeName = chosen;
                return current;
            }, new UpdateOptions(Subresource.Binding.Name, Preconditions: new Preconditions(Uid: pod.Metadata.Uid)), cancellationToken);
        }
        catch
        {
            Forget(pod.Metadata.Uid);
            throw;
        }

        var boundTo = ((V1Pod)bound.Object).Spec.NodeName ?? chosen;
        if (boundTo == chosen)
        {
            Committed(pod.Metadata.Uid);
            if (bound.Changed)
            {
                _events.Record(new EventReport(
                    SchedulerName, null, EventReport.Reference(pod), EventReport.Normal, "Scheduled",
                    $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to {chosen}"));
            }
        }
        else
        {
            Forget(pod.Metadata.Uid);
        }

        Log.Bound(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, boundTo);
        return new PodBound(boundTo, _time.GetUtcNow());
    }

    private NodeChoice Choose(V1Pod pod, IReadOnlyList<V1Node> nodes, IReadOnlyList<V1Pod> listed, long listedSince)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Prune(now);
            var unseen = _assumed.Values.Where(a => a.CommittedAt is not { } committed || committed >= listedSince).Select(a => a.Pod);
            var choice = NodeSelection.Choose(pod, nodes, listed.Concat(unseen));
            if (choice.NodeName is { } chosen && pod.Metadata.Uid is { } uid)
            {
                var assumed = KubeJson.Clone(pod);
                assumed.Spec.NodeName = chosen;
                assumed.Status = null;
                _assumed[uid] = new Assumption(assumed, now, CommittedAt: null);
            }

            return choice;
        }
    }

    /// <summary>
    /// The list of the placed pods begun less than <see cref="PlacedListReuse"/> ago, or a new one. It runs for all who
    /// share it, so one caller's cancellation does not fail the others; a list that failed is not shared again.
    /// </summary>
    private PlacedList PlacedPods()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_placed is { } shared && !shared.Read.IsFaulted && !shared.Read.IsCanceled && _time.GetElapsedTime(shared.StartedAt, now) < PlacedListReuse)
            {
                return shared;
            }

            _placed = new PlacedList(_registry.ListAsync<V1Pod>(ResourceTypes.Pods, null, NodeUsage.Occupies, CancellationToken.None), now);
            return _placed;
        }
    }

    private void Committed(string? uid)
    {
        lock (_gate)
        {
            if (uid is not null && _assumed.TryGetValue(uid, out var assumption))
            {
                _assumed[uid] = assumption with { CommittedAt = _time.GetTimestamp() };
            }
        }
    }

    private void Forget(string? uid)
    {
        lock (_gate)
        {
            if (uid is not null)
            {
                _assumed.Remove(uid);
            }
        }
    }

    private void Prune(long now)
    {
        foreach (var (uid, assumption) in _assumed.ToList())
        {
            var expired = assumption.CommittedAt is { } committed
                ? _time.GetElapsedTime(committed, now) > CommittedLifetime
                : _time.GetElapsedTime(assumption.ChosenAt, now) > PendingLifetime;
            if (expired)
            {
                _assumed.Remove(uid);
            }
        }
    }

    /// <summary>A list of the pods bound to nodes, and when it began (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    private sealed record PlacedList(Task<IReadOnlyList<V1Pod>> Read, long StartedAt);

    /// <summary>A pod this process chose a node for; timestamps from <see cref="TimeProvider.GetTimestamp"/>.</summary>
    private sealed record Assumption(V1Pod Pod, long ChosenAt, long? CommittedAt);
}
