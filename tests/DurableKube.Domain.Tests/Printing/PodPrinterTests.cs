using DurableKube.Domain.Printing;
using k8s.Models;

namespace DurableKube.Domain.Tests.Printing;

public class PodPrinterTests
{
    private static readonly DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>READY, STATUS and RESTARTS for the pod states kubectl users see.</summary>
    public static TheoryData<string, V1Pod, string, string, string> Rows => new()
    {
        { "pending, nothing reported", Pod("Pending"), "0/1", "Pending", "0" },
        { "creating the container", Pod("Pending", [Waiting("ContainerCreating")]), "0/1", "ContainerCreating", "0" },
        { "first of two init containers running", Pod("Pending", [Waiting("PodInitializing")], inits: [Running(ready: false), Waiting("PodInitializing")], specInits: 2), "0/1", "Init:0/2", "0" },
        { "second of two init containers running", Pod("Pending", [Waiting("PodInitializing")], inits: [Terminated(0, "Completed"), Running(ready: false)], specInits: 2), "0/1", "Init:1/2", "0" },
        { "init container failed", Pod("Pending", [Waiting("PodInitializing")], inits: [Terminated(1, "Error")], specInits: 1), "0/1", "Init:Error", "0" },
        { "init container in back-off", Pod("Pending", [Waiting("PodInitializing")], inits: [Waiting("CrashLoopBackOff", restarts: 4, finishedAgo: 30)], specInits: 1), "0/1", "Init:CrashLoopBackOff", "4 (30s ago)" },
        { "init container exited without a reason", Pod("Pending", inits: [Terminated(3, null)], specInits: 1), "0/1", "Init:ExitCode:3", "0" },
        { "init container killed by a signal", Pod("Pending", inits: [Terminated(137, null, signal: 9)], specInits: 1), "0/1", "Init:Signal:9", "0" },
        { "init container restarts count while initializing", Pod("Pending", [Waiting("PodInitializing", restarts: 7)], inits: [Terminated(0, "Completed", restarts: 2, finishedAgo: 120), Running(ready: false, restarts: 3, finishedAgo: 10)], specInits: 2), "0/1", "Init:1/2", "5 (10s ago)" },
        { "init done, app container starting", Pod("Pending", [Waiting("PodInitializing")], inits: [Terminated(0, "Completed")], specInits: 1, conditions: [Condition("Initialized", "True")]), "0/1", "PodInitializing", "0" },
        { "running", Pod("Running", [Running()]), "1/1", "Running", "0" },
        { "running, not ready", Pod("Running", [Running(ready: false)]), "0/1", "Running", "0" },
        { "running after restarts", Pod("Running", [Running(restarts: 3, finishedAgo: 15)]), "1/1", "Running", "3 (15s ago)" },
        { "restarts without a last termination", Pod("Running", [Running(restarts: 2)]), "1/1", "Running", "2" },
        { "last restart days ago", Pod("Running", [Running(restarts: 3, finishedAgo: 5 * 86400)]), "1/1", "Running", "3 (5d ago)" },
        { "the latest restart of any container", Pod("Running", [Running(restarts: 6, finishedAgo: 5 * 86400), Running(restarts: 3, finishedAgo: 20 * 86400)], specContainers: 2), "2/2", "Running", "9 (5d ago)" },
        { "completed", Pod("Succeeded", [Terminated(0, "Completed")]), "0/1", "Completed", "0" },
        { "failed", Pod("Failed", [Terminated(1, "Error")]), "0/1", "Error", "0" },
        { "crash loop", Pod("Running", [Waiting("CrashLoopBackOff", restarts: 5, finishedAgo: 120)]), "0/1", "CrashLoopBackOff", "5 (2m ago)" },
        { "out of memory", Pod("Running", [Terminated(137, "OOMKilled", restarts: 1, finishedAgo: 1)]), "0/1", "OOMKilled", "1 (1s ago)" },
        { "exited without a reason", Pod("Running", [Terminated(2, null)]), "0/1", "ExitCode:2", "0" },
        { "killed by a signal", Pod("Running", [Terminated(143, null, signal: 15)]), "0/1", "Signal:15", "0" },
        { "configuration error", Pod("Pending", [Waiting("CreateContainerConfigError")]), "0/1", "CreateContainerConfigError", "0" },
        { "image pull back-off", Pod("Pending", [Waiting("ImagePullBackOff")]), "0/1", "ImagePullBackOff", "0" },
        { "the first container's reason wins", Pod("Running", [Waiting("ErrImagePull"), Terminated(1, "Error")], specContainers: 2), "0/2", "ErrImagePull", "0" },
        { "one completed, one running, not ready", Pod("Running", [Terminated(0, "Completed"), Running()], specContainers: 2), "1/2", "NotReady", "0" },
        { "one completed, one running, ready", Pod("Running", [Terminated(0, "Completed"), Running()], specContainers: 2, conditions: [Condition("Ready", "True")]), "1/2", "Running", "0" },
        { "being deleted", Pod("Running", [Running()], deleting: true), "1/1", "Terminating", "0" },
        { "being deleted while pending", Pod("Pending", deleting: true), "0/1", "Terminating", "0" },
        { "completed stays completed while deleted", Pod("Succeeded", [Terminated(0, "Completed")], deleting: true), "0/1", "Completed", "0" },
        { "node lost and being deleted", Pod("Running", [Running()], reason: "NodeLost", deleting: true), "1/1", "Unknown", "0" },
        { "node lost", Pod("Running", reason: "NodeLost"), "0/1", "NodeLost", "0" },
        { "unknown phase", Pod("Unknown"), "0/1", "Unknown", "0" },
        { "evicted", Pod("Failed", reason: "Evicted"), "0/1", "Evicted", "0" },
        { "scheduling gated", Pod("Pending", conditions: [Condition("PodScheduled", "False", "SchedulingGated")]), "0/1", "SchedulingGated", "0" },
        { "sidecar starting", Pod("Pending", [Waiting("PodInitializing")], inits: [Running(ready: false, started: false)], sidecars: 1), "0/2", "Init:0/1", "0" },
        { "sidecar and app running", Pod("Running", [Running(restarts: 1, finishedAgo: 10)], inits: [Running(restarts: 2, finishedAgo: 60, started: true)], sidecars: 1, conditions: [Condition("Initialized", "True")]), "2/2", "Running", "3 (10s ago)" },
        { "sidecar started, then a plain init container", Pod("Pending", [Waiting("PodInitializing")], inits: [Running(started: true), Running(ready: false)], sidecars: 1, specInits: 1), "1/2", "Init:1/2", "0" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Print_ShowsWhatKubectlShows(string name, V1Pod pod, string ready, string status, string restarts)
    {
        var row = PodPrinter.Print(pod, _now);

        Assert.Equal((name, ready, status, restarts), (name, row.Ready, row.Status, row.Restarts));
    }

    [Fact]
    public void Print_WideColumns()
    {
        var pod = Pod("Running", [Running(), Running(ready: false)], specContainers: 2, conditions: [Condition("c1", "False"), Condition("c2", "True")]);
        pod.Metadata.CreationTimestamp = _now.UtcDateTime.AddSeconds(-302);
        pod.Spec.NodeName = "node-1";
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "c1" }, new V1PodReadinessGate { ConditionType = "c2" }, new V1PodReadinessGate { ConditionType = "c3" }];
        pod.Status.PodIP = "10.0.0.9";
        pod.Status.PodIPs = [new V1PodIP { Ip = "10.0.0.1" }, new V1PodIP { Ip = "fd00::1" }];
        pod.Status.NominatedNodeName = "node-2";

        var row = PodPrinter.Print(pod, _now);

        Assert.Equal(["web", "1/2", "Running", "0", "5m2s", "10.0.0.1", "node-1", "node-2", "1/3"], row.Cells(wide: true));
        Assert.Equal(["web", "1/2", "Running", "0", "5m2s"], row.Cells(wide: false));
    }

    [Fact]
    public void Print_WideColumns_DefaultToNone()
    {
        var row = PodPrinter.Print(Pod("Pending"), _now);

        Assert.Equal(("<unknown>", "<none>", "<none>", "<none>", "<none>"), (row.Age, row.Ip, row.Node, row.NominatedNode, row.ReadinessGates));
    }

    [Fact]
    public void Print_FallsBackToPodIp()
    {
        var pod = Pod("Running");
        pod.Status.PodIP = "10.0.0.9";

        Assert.Equal("10.0.0.9", PodPrinter.Print(pod, _now).Ip);
    }

    [Theory]
    [InlineData("Succeeded", "Succeeded")]
    [InlineData("Failed", "Failed")]
    [InlineData("Running", null)]
    [InlineData("Pending", null)]
    public void Print_MarksFinishedPods(string phase, string? terminalPhase) =>
        Assert.Equal(terminalPhase, PodPrinter.Print(Pod(phase), _now).TerminalPhase);

    [Fact]
    public void Columns_MatchTheCells()
    {
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], PodPrinter.Columns.Select(c => c.Name));
        Assert.Equal(5, PodPrinter.Columns.Count(c => c.Priority == 0));
    }

    private static V1Pod Pod(
        string phase,
        V1ContainerStatus[]? containers = null,
        V1ContainerStatus[]? inits = null,
        int specContainers = 1,
        int specInits = 0,
        int sidecars = 0,
        V1PodCondition[]? conditions = null,
        string? reason = null,
        bool deleting = false)
    {
        var initSpecs = Enumerable.Range(0, sidecars).Select(i => new V1Container { Name = $"init{i}", RestartPolicy = "Always" })
            .Concat(Enumerable.Range(sidecars, specInits).Select(i => new V1Container { Name = $"init{i}" }))
            .ToList();
        var initStatuses = (inits ?? []).Select((status, i) => { status.Name = $"init{i}"; return status; }).ToList();
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", DeletionTimestamp = deleting ? _now.UtcDateTime.AddSeconds(-10) : null },
            Spec = new V1PodSpec
            {
                Containers = Enumerable.Range(0, specContainers).Select(i => new V1Container { Name = $"c{i}" }).ToList(),
                InitContainers = initSpecs,
            },
            Status = new V1PodStatus
            {
                Phase = phase,
                Reason = reason,
                Conditions = conditions,
                ContainerStatuses = containers,
                InitContainerStatuses = initStatuses,
            },
        };
    }

    private static V1PodCondition Condition(string type, string status, string? reason = null) => new() { Status = status, Type = type, Reason = reason };

    private static V1ContainerStatus Running(bool ready = true, int restarts = 0, int? finishedAgo = null, bool? started = null) =>
        Status(new V1ContainerState { Running = new V1ContainerStateRunning() }, ready, restarts, finishedAgo, started);

    private static V1ContainerStatus Waiting(string reason, int restarts = 0, int? finishedAgo = null) =>
        Status(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } }, false, restarts, finishedAgo);

    private static V1ContainerStatus Terminated(int exitCode, string? reason, int? signal = null, int restarts = 0, int? finishedAgo = null) =>
        Status(new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = reason, Signal = signal } }, false, restarts, finishedAgo);

    private static V1ContainerStatus Status(V1ContainerState state, bool ready, int restarts, int? finishedAgo, bool? started = null) => new()
    {
        Name = "c",
        Image = "image",
        ImageID = string.Empty,
        Ready = ready,
        RestartCount = restarts,
        Started = started,
        State = state,
        LastState = finishedAgo is { } ago
            ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, FinishedAt = _now.UtcDateTime.AddSeconds(-ago) } }
            : null,
    };
}
