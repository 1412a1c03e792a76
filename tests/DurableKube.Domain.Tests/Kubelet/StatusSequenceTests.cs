using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Printing;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>
/// The STATUS column <c>kubectl get pods -w</c> prints for a manifest, write after write, as a kubelet produces it.
/// Each row is a manifest, what the runtime reports of its containers, and the sequence a cluster shows (consecutive
/// repeats folded: kubectl prints every watch event, and how many repeats a cluster writes depends on its timing).
/// </summary>
/// <remarks>
/// The expected sequences come from the Kubernetes sources, not from this server: the kubelet writes the status its sync
/// found before the runtime acts (pkg/kubelet/kubelet.go SyncPod: <c>generateAPIPodStatus</c>, <c>SetPodStatus</c>, then
/// <c>containerRuntime.SyncPod</c>), so a new pod shows ContainerCreating (Init:0/N with init containers) before its
/// containers run and an exit shows as Error (Completed for exit 0) with the restart count of the run that exited; the
/// first restart is immediate (pkg/kubelet/kuberuntime doBackOff: no back-off entry yet), later ones wait, and the sync
/// that finds a container in back-off records CrashLoopBackOff in its reason cache, which the next write shows
/// (convertToAPIContainerStatuses); the restart brings Running and a restart count one higher. STATUS is kubectl's
/// printPod (pkg/printers/internalversion/printers.go): Init:N/M, Init:&lt;reason&gt;, PodInitializing, Terminating.
/// The model drives <see cref="PodLifecycle"/> exactly as the SyncPod activity does (<see cref="PodLifecycle.WritesStatusBefore"/>,
/// <see cref="PodLifecycle.BackoffsFound"/>) against a scripted runtime.
/// </remarks>
public class StatusSequenceTests
{
    private const string Always = """
        apiVersion: v1
        kind: Pod
        metadata: {name: x, namespace: default, uid: uid-x}
        spec:
          containers: [{name: app, image: busybox}]
        """;

    private const string Never = """
        apiVersion: v1
        kind: Pod
        metadata: {name: x, namespace: default, uid: uid-x}
        spec:
          restartPolicy: Never
          containers: [{name: app, image: busybox}]
        """;

    private const string TwoInits = """
        apiVersion: v1
        kind: Pod
        metadata: {name: x, namespace: default, uid: uid-x}
        spec:
          initContainers: [{name: setup, image: busybox}, {name: migrate, image: busybox}]
          containers: [{name: app, image: busybox}]
        """;

    private const string OneInit = """
        apiVersion: v1
        kind: Pod
        metadata: {name: x, namespace: default, uid: uid-x}
        spec:
          initContainers: [{name: setup, image: busybox}]
          containers: [{name: app, image: busybox}]
        """;

    private const string OneInitNever = """
        apiVersion: v1
        kind: Pod
        metadata: {name: x, namespace: default, uid: uid-x}
        spec:
          restartPolicy: Never
          initContainers: [{name: setup, image: busybox}]
          containers: [{name: app, image: busybox}]
        """;

    /// <summary>
    /// Rows: what the case is; the manifest; the runtime's script (<c>container: exit exit ...</c>, each run exits a second
    /// after it starts, <c>OOMKilled</c> or <c>ContainerStatusUnknown</c> as the runtime's reason with code 137; a container
    /// whose runs are used up keeps running; <c>image: ErrImagePull</c> fails the pull twice; <c>unschedulable</c> finds no
    /// node once; <c>delete</c> deletes the pod once everything has settled); the STATUS sequence.
    /// </summary>
    public static TheoryData<string, string, string, string> Rows => new()
    {
        { "runs to completion (Never, exit 0)", Never, "app: 0", "Pending ContainerCreating Running Completed" },
        { "runs to failure (Never, exit 1)", Never, "app: 1", "Pending ContainerCreating Running Error" },
        {
            "crash loop (Always, exit 1): Error before every CrashLoopBackOff, the first restart immediate", Always, "app: 1 1 1 1",
            "Pending ContainerCreating Running Error Running Error CrashLoopBackOff Running Error CrashLoopBackOff Running Error CrashLoopBackOff Running"
        },
        {
            "exit 0 under Always: Completed, then CrashLoopBackOff", Always, "app: 0 0 0",
            "Pending ContainerCreating Running Completed Running Completed CrashLoopBackOff Running Completed CrashLoopBackOff Running"
        },
        { "init containers", TwoInits, "setup: 0; migrate: 0", "Pending Init:0/2 Init:1/2 PodInitializing Running" },
        {
            "a failing init container (Always)", OneInit, "setup: 1 1 1 0",
            "Pending Init:0/1 Init:Error Init:0/1 Init:Error Init:CrashLoopBackOff Init:0/1 Init:Error Init:CrashLoopBackOff Init:0/1 PodInitializing Running"
        },
        { "a failing init container (Never)", OneInitNever, "setup: 1", "Pending Init:0/1 Init:Error" },
        { "an image that cannot be pulled", Always, "image: ErrImagePull", "Pending ContainerCreating ErrImagePull ImagePullBackOff Running" },
        { "unschedulable, then a node frees up", Always, "unschedulable", "Pending ContainerCreating Running" },
        // The container exits 143 on SIGTERM; the kubelet writes the pod's terminal phase (Failed) before the object goes,
        // and kubectl prints a terminal pod by its reason, not Terminating (printPod).
        { "deleted while running", Always, "delete", "Pending ContainerCreating Running Terminating Error" },
        { "out of memory (Docker)", Always, "app: OOMKilled OOMKilled", "Pending ContainerCreating Running OOMKilled Running OOMKilled CrashLoopBackOff Running" },
        { "a container that vanished", Never, "app: ContainerStatusUnknown", "Pending ContainerCreating Running ContainerStatusUnknown" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Kubectl_get_pods_w_shows_what_a_cluster_shows(string name, string manifest, string script, string expected)
    {
        var statuses = new ScriptedKubelet(KubernetesYaml.Deserialize<V1Pod>(manifest), script).Run();

        Assert.Equal((name, expected), (name, string.Join(' ', Folded(statuses))));
    }

    [Fact]
    public void The_exit_is_written_with_the_restart_count_of_the_run_that_exited_and_the_restart_one_higher()
    {
        var rows = new ScriptedKubelet(KubernetesYaml.Deserialize<V1Pod>(Always), "app: 1 1").Rows();

        var crashes = rows.Where(r => r.Status is "Error" or "CrashLoopBackOff" or "Running").Select(r => $"{r.Status}/{r.Restarts.Split(' ')[0]}").Distinct();
        Assert.Equal(["Running/0", "Error/0", "Running/1", "Error/1", "CrashLoopBackOff/1", "Running/2"], crashes);
    }

    [Fact]
    public void The_termination_and_the_back_off_are_separate_writes_of_one_sync()
    {
        var state = PodLifecycle.Initialize(KubernetesYaml.Deserialize<V1Pod>(Always), TestPods.Scaled).Placed()
            .Started("app", 0, TestPods.T0).Exited("app", 0, TestPods.T0.AddSeconds(1), 1)
            .Started("app", 1, TestPods.T0.AddSeconds(1)).Exited("app", 1, TestPods.T0.AddSeconds(2), 1);

        var plan = PodLifecycle.Plan(state, TestPods.T0.AddSeconds(2));
        var found = PodLifecycle.BackoffsFound(state, plan.Commands);

        Assert.Empty(plan.Commands);
        Assert.Equal<KubeletOutcome>([new BackoffShown("app", 1)], found);
        Assert.Equal((null, "Error"), Shown(state));
        Assert.Equal(("CrashLoopBackOff", null), Shown(PodLifecycle.Apply(state, found)));
        Assert.Empty(PodLifecycle.BackoffsFound(PodLifecycle.Apply(state, found), plan.Commands));
    }

    private static (string? Waiting, string? Terminated) Shown(PodLifecycleState state)
    {
        var shown = PodStatusBuilder.Build(KubernetesYaml.Deserialize<V1Pod>(Always), state, "process", TestPods.T0).ContainerStatuses.Single().State;
        return (shown.Waiting?.Reason, shown.Terminated?.Reason);
    }

    private static IEnumerable<string> Folded(IEnumerable<string> statuses)
    {
        string? last = null;
        foreach (var status in statuses)
        {
            if (status != last)
            {
                yield return status;
            }

            last = status;
        }
    }

    /// <summary>A kubelet, a scheduler and a runtime in one: the SyncPod activity's order of writes over a scripted runtime.</summary>
    private sealed class ScriptedKubelet
    {
        private readonly Dictionary<string, Queue<string>> _runs = new(StringComparer.Ordinal);
        private readonly List<(DateTimeOffset At, ContainerExited Exit)> _exits = [];
        private readonly List<PodRow> _rows = [];
        private readonly V1Pod _pod;
        private int _pullFailures;
        private bool _unschedulable;
        private readonly bool _delete;
        private DateTimeOffset _now = TestPods.T0;

        public ScriptedKubelet(V1Pod pod, string script)
        {
            _pod = pod;
            foreach (var part in script.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = part.Split(':', 2, StringSplitOptions.TrimEntries) is [var k, var v] ? (k, v) : (part, string.Empty);
                switch (key)
                {
                    case "image": _pullFailures = 2; break;
                    case "unschedulable": _unschedulable = true; break;
                    case "delete": _delete = true; break;
                    default: _runs[key] = new Queue<string>(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
                }
            }
        }

        public IReadOnlyList<string> Run() => Rows().Select(r => r.Status).ToList();

        public IReadOnlyList<PodRow> Rows()
        {
            // The API server's create: phase Pending, nothing else.
            _pod.Status = new V1PodStatus { Phase = "Pending" };
            Print();
            var state = PodLifecycle.Initialize(_pod, TestPods.Scaled);
            for (var turn = 0; turn < 200; turn++)
            {
                var plan = PodLifecycle.Plan(state, _now);
                if (plan.Done)
                {
                    return _rows;
                }

                if (plan.HasWork)
                {
                    state = Sync(state, plan.Commands);
                    continue;
                }

                // Wait for the next exit or the plan's wake-up, whichever comes first.
                var next = _exits.OrderBy(e => e.At).FirstOrDefault();
                if (next.Exit is not null && (plan.WakeAt is null || next.At <= plan.WakeAt))
                {
                    _exits.Remove(next);
                    _now = next.At;
                    state = PodLifecycle.Observe(state, next.Exit);
                }
                else if (plan.WakeAt is { } wake)
                {
                    _now = wake > _now ? wake : _now;
                }
                else if (_delete && _pod.Metadata.DeletionTimestamp is null)
                {
                    // kubectl delete: the API server's update is a watch event of its own.
                    _pod.Metadata.DeletionTimestamp = _now.UtcDateTime;
                    Print();
                    state = PodLifecycle.Observe(state, new PodDeletionRequested(_now.AddSeconds(30), ObjectGone: false));
                }
                else
                {
                    return _rows;
                }
            }

            throw new InvalidOperationException("The pod never settled.");
        }

        /// <summary>One SyncPod activity: the status before the runtime acts, the commands, the back-offs found, the status after.</summary>
        private PodLifecycleState Sync(PodLifecycleState state, IReadOnlyList<KubeletCommand> commands)
        {
            var outcomes = new List<KubeletOutcome>();
            var written = state.WrittenRevision;
            var acting = false;
            foreach (var command in commands)
            {
                var current = PodLifecycle.Apply(state, outcomes);
                if (!acting && PodLifecycle.WritesStatusBefore(command))
                {
                    acting = true;
                    if (current.Revision != written)
                    {
                        written = current.Revision;
                        Write(current);
                    }
                }

                var produced = Execute(command, current);
                outcomes.AddRange(produced);
                if (produced.Count == 0 || produced[^1] is PodUnschedulable or SandboxPending or SandboxRestarted)
                {
                    break;
                }
            }

            var synced = PodLifecycle.Apply(state, outcomes);
            if (!outcomes.OfType<PodRemoved>().Any())
            {
                var backoffs = PodLifecycle.BackoffsFound(synced, commands);
                if (backoffs.Count > 0)
                {
                    if (synced.Revision != written)
                    {
                        Write(synced);
                    }

                    outcomes.AddRange(backoffs);
                    synced = PodLifecycle.Apply(synced, backoffs);
                }

                Write(synced);
            }

            return synced with { WrittenRevision = synced.Revision };
        }

        private IReadOnlyList<KubeletOutcome> Execute(KubeletCommand command, PodLifecycleState state)
        {
            switch (command)
            {
                case BindPod:
                    if (_unschedulable)
                    {
                        _unschedulable = false;
                        return [new PodUnschedulable("0/1 nodes are available: 1 Insufficient cpu.", _now)];
                    }

                    _pod.Spec.NodeName = "node-1";
                    return [new PodBound("node-1", _now)];

                case CreateSandbox:
                    if (_pullFailures > 0)
                    {
                        var reason = _pullFailures-- == 2 ? "ErrImagePull" : "ImagePullBackOff";
                        return [new SandboxPending(new SandboxWait(null, null, [new ContainerWait("app", reason, "pull access denied")], _now.AddSeconds(1)))];
                    }

                    return [new SandboxCreated(new SandboxAddresses("127.0.0.1", "127.0.0.1"))];

                case StartContainer start:
                    var runs = _runs.TryGetValue(start.Name, out var queue) ? queue : [];
                    if (runs.TryDequeue(out var end))
                    {
                        var (code, reason) = int.TryParse(end, out var exitCode) ? (exitCode, (string?)null) : (137, end);
                        _exits.Add((_now.AddSeconds(1), new ContainerExited(start.Name, start.Attempt, _now.AddSeconds(1), code, reason)));
                    }

                    return [new ContainerStarted(start.Name, new ContainerRun(start.Attempt, _now))];

                case StopContainer stop:
                    _exits.Add((_now.AddSeconds(1), new ContainerExited(stop.Name, stop.Attempt, _now.AddSeconds(1), 143)));
                    return [new StopSent(stop.Name, stop.Attempt, stop.Signal)];

                case RemoveSandbox:
                    return [new SandboxRemoved()];

                case RemovePod:
                    // The last word is the final status, then the deletion (kubectl prints the deleted object once more).
                    Write(state);
                    Print();
                    return [new PodRemoved()];

                default:
                    throw new InvalidOperationException($"Unexpected command {command}.");
            }
        }

        private void Write(PodLifecycleState state)
        {
            _pod.Status = PodStatusBuilder.Build(_pod, state, "process", _now);
            Print();
        }

        private void Print() => _rows.Add(PodPrinter.Print(KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(_pod)), _now));
    }
}
