using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>
/// Computes what <c>kubectl get pods</c> shows for a pod, as the API server's Table printer does
/// (kubernetes pkg/printers/internalversion/printers.go, printPod).
/// </summary>
public static class PodPrinter
{
    private const string None = "<none>";
    private const string NodeUnreachablePodReason = "NodeLost";
    private const string SchedulingGatedReason = "SchedulingGated";

    /// <summary>Gets the Table columns for pods.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        new("Name", "string", "name", 0, "Name must be unique within a namespace."),
        new("Ready", "string", string.Empty, 0, "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", string.Empty, 0, "The aggregate status of the containers in this pod."),
        new("Restarts", "string", string.Empty, 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        new("Age", "string", string.Empty, 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        new("IP", "string", string.Empty, 1, "podIP address allocated to the pod."),
        new("Node", "string", string.Empty, 1, "NodeName is the name of the node the pod is scheduled on."),
        new("Nominated Node", "string", string.Empty, 1, "nominatedNodeName is set when this pod preempts other pods on the node."),
        new("Readiness Gates", "string", string.Empty, 1, "If specified, all readiness gates will be evaluated for pod readiness."),
    ];

    /// <summary>Computes the row of a pod.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="now">The present, for AGE and the "ago" of RESTARTS.</param>
    /// <returns>The row.</returns>
    public static PodRow Print(V1Pod pod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ?? new V1PodSpec();
        var status = pod.Status ?? new V1PodStatus();
        var containers = spec.Containers ?? [];
        var initContainers = spec.InitContainers ?? [];
        var conditions = status.Conditions ?? [];

        var restarts = 0;
        var sidecarRestarts = 0;
        var totalContainers = containers.Count + initContainers.Count(IsSidecar);
        var readyContainers = 0;
        DateTime? lastRestart = null;
        DateTime? lastSidecarRestart = null;

        var phase = status.Phase ?? string.Empty;
        var reason = string.IsNullOrEmpty(status.Reason) ? phase : status.Reason;
        if (conditions.Any(c => c.Type == "PodScheduled" && c.Reason == SchedulingGatedReason))
        {
            reason = SchedulingGatedReason;
        }

        var initializing = false;
        var initStatuses = status.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var state = container.State ?? new V1ContainerState();
            var sidecar = IsSidecar(initContainers.FirstOrDefault(c => c.Name == container.Name));
            restarts += container.RestartCount;
            lastRestart = Latest(lastRestart, container.LastState?.Terminated?.FinishedAt);
            if (sidecar)
            {
                sidecarRestarts += container.RestartCount;
                lastSidecarRestart = Latest(lastSidecarRestart, container.LastState?.Terminated?.FinishedAt);
            }

            if (state.Terminated is { ExitCode: 0 })
            {
                continue;
            }

            if (sidecar && container.Started == true)
            {
                readyContainers += container.Ready ? 1 : 0;
                continue;
            }

            initializing = true;
            if (state.Terminated is { } terminated)
            {
                reason = !string.IsNullOrEmpty(terminated.Reason) ? "Init:" + terminated.Reason
                    : terminated.Signal is { } signal and not 0 ? Invariant($"Init:Signal:{signal}")
                    : Invariant($"Init:ExitCode:{terminated.ExitCode}");
            }
            else if (!string.IsNullOrEmpty(state.Waiting?.Reason) && state.Waiting.Reason != "PodInitializing")
            {
                reason = "Init:" + state.Waiting.Reason;
            }
            else
            {
                reason = Invariant($"Init:{i}/{initContainers.Count}");
            }

            break;
        }

        if (!initializing || conditions.FirstOrDefault(c => c.Type == "Initialized")?.Status == "True")
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = status.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                var state = container.State ?? new V1ContainerState();
                restarts += container.RestartCount;
                lastRestart = Latest(lastRestart, container.LastState?.Terminated?.FinishedAt);
                if (!string.IsNullOrEmpty(state.Waiting?.Reason))
                {
                    reason = state.Waiting.Reason;
                }
                else if (state.Terminated is { } terminated)
                {
                    reason = !string.IsNullOrEmpty(terminated.Reason) ? terminated.Reason
                        : terminated.Signal is { } signal and not 0 ? Invariant($"Signal:{signal}")
                        : Invariant($"ExitCode:{terminated.ExitCode}");
                }
                else if (container.Ready && state.Running is not null)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            // A pod with a container still running is not "Completed" because another one is.
            if (reason == "Completed" && hasRunning)
            {
                reason = conditions.Any(c => c.Type == "Ready" && c.Status == "True") ? "Running" : "NotReady";
            }
        }

        var deleting = pod.Metadata?.DeletionTimestamp is not null;
        if (deleting && status.Reason == NodeUnreachablePodReason)
        {
            reason = "Unknown";
        }
        else if (deleting && phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartsText = restarts != 0 && lastRestart is { } last
            ? Invariant($"{restarts} ({HumanDuration.Since(last, now)} ago)")
            : restarts.ToString(CultureInfo.InvariantCulture);

        var podIp = status.PodIPs is { Count: > 0 } ips ? ips[0].Ip : status.PodIP;
        var gates = spec.ReadinessGates ?? [];
        var readinessGates = gates.Count == 0
            ? None
            : Invariant($"{gates.Count(gate => conditions.FirstOrDefault(c => c.Type == gate.ConditionType)?.Status == "True")}/{gates.Count}");

        return new PodRow(
            pod.Metadata?.Name ?? string.Empty,
            Invariant($"{readyContainers}/{totalContainers}"),
            reason,
            restartsText,
            HumanDuration.Since(pod.Metadata?.CreationTimestamp, now),
            OrNone(podIp),
            OrNone(spec.NodeName),
            OrNone(status.NominatedNodeName),
            readinessGates,
            phase is "Succeeded" or "Failed" ? phase : null);
    }

    private static bool IsSidecar(V1Container? container) => container?.RestartPolicy == "Always";

    private static DateTime? Latest(DateTime? current, DateTime? candidate) =>
        candidate is { } time && (current is null || HumanDuration.AsUtc(time) > HumanDuration.AsUtc(current.Value)) ? time : current;

    private static string OrNone(string? value) => string.IsNullOrEmpty(value) ? None : value;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
