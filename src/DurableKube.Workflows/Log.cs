using DurableKube.Domain.Kubelet;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The workflows' log messages. Event ids: 1xx pods and the reconcile loop, 2xx dispatcher, 3xx node agent, 4xx garbage collector, 5xx controllers.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Pod {Namespace}/{Name} bound to node {Node}")]
    public static partial void Bound(ILogger logger, string @namespace, string name, string node);

    [LoggerMessage(101, LogLevel.Information, "Pod {Namespace}/{Name} is unschedulable: {Message}")]
    public static partial void Unschedulable(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(102, LogLevel.Information, "Pod {Namespace}/{Name}: started container {Container} (attempt {Attempt})")]
    public static partial void Started(ILogger logger, string @namespace, string name, string container, int attempt);

    [LoggerMessage(135, LogLevel.Warning, "Pod {Namespace}/{Name}: a sync asked to start container {Container} attempt {Attempt}, but it has run attempt {Latest} already: a sync redelivered after a crash; nothing done")]
    public static partial void StaleStart(ILogger logger, string @namespace, string name, string container, int attempt, int latest);

    [LoggerMessage(137, LogLevel.Debug, "{Count} unschedulable pods told of a change that may let them fit")]
    public static partial void SchedulingChance(ILogger logger, int count);

    [LoggerMessage(138, LogLevel.Debug, "Pod {Namespace}/{Name}: could not acknowledge the exit of container {Container} attempt {Attempt} (it will be reported again): {Message}")]
    public static partial void AcknowledgeFailed(ILogger logger, string @namespace, string name, string container, int attempt, string message);

    [LoggerMessage(136, LogLevel.Warning, "Pod {Namespace}/{Name}: a sync's status would take the pod back (phase {Stored} to {Next}, or a lower restart count): a sync redelivered after a crash; not written")]
    public static partial void StaleStatus(ILogger logger, string @namespace, string name, string? stored, string? next);

    [LoggerMessage(103, LogLevel.Warning, "Pod {Namespace}/{Name}: container {Container} cannot be created: {Message}")]
    public static partial void NotCreated(ILogger logger, string @namespace, string name, string container, string message);

    [LoggerMessage(104, LogLevel.Information, "Pod {Namespace}/{Name}: sent {Signal} to container {Container} (attempt {Attempt})")]
    public static partial void StopSent(ILogger logger, string @namespace, string name, string container, int attempt, StopSignal signal);

    [LoggerMessage(120, LogLevel.Information, "Pod {Namespace}/{Name}: its sandbox restarts every container (attempt {Attempt})")]
    public static partial void SandboxRestarted(ILogger logger, string @namespace, string name, int attempt);

    [LoggerMessage(122, LogLevel.Warning, "Pod {Namespace}/{Name}: its sandbox is gone from the runtime: {Message}")]
    public static partial void SandboxLost(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(121, LogLevel.Warning, "Pod {Namespace}/{Name}: its sandbox cannot be created now ({Reason}): {Message}")]
    public static partial void SandboxPending(ILogger logger, string @namespace, string name, string reason, string message);

    [LoggerMessage(105, LogLevel.Information, "Pod {Namespace}/{Name} removed")]
    public static partial void Removed(ILogger logger, string @namespace, string name);

    [LoggerMessage(108, LogLevel.Information, "Pod {Namespace}/{Name} was active longer than its activeDeadlineSeconds ({Seconds}s): failing it")]
    public static partial void DeadlineExceeded(ILogger logger, string @namespace, string name, long seconds);

    [LoggerMessage(106, LogLevel.Warning, "Workflow {InstanceId}: activity {Activity} failed, trying again at {RetryAt}: {Message}")]
    public static partial void WorkFailed(ILogger logger, string instanceId, string activity, DateTimeOffset retryAt, string message);

    [LoggerMessage(107, LogLevel.Information, "Workflow {InstanceId}: continuing as new after {Turns} turns")]
    public static partial void ContinuedAsNew(ILogger logger, string instanceId, int turns);

    [LoggerMessage(200, LogLevel.Debug, "Dispatching {Type} of {Resource} {Namespace}/{Name}")]
    public static partial void Dispatching(ILogger logger, string type, string resource, string? @namespace, string name);

    [LoggerMessage(201, LogLevel.Information, "Started workflow {InstanceId} for {Resource} {Namespace}/{Name}")]
    public static partial void WorkflowStarted(ILogger logger, string instanceId, string resource, string? @namespace, string name);

    [LoggerMessage(202, LogLevel.Information, "Resync: {Handler} looked at {Count} objects")]
    public static partial void Resynced(ILogger logger, string handler, int count);

    [LoggerMessage(204, LogLevel.Warning, "Resync: {Handler} failed; the other handlers resync anyway")]
    public static partial void ResyncFailed(ILogger logger, Exception exception, string handler);

    [LoggerMessage(205, LogLevel.Warning, "Workflow {InstanceId} has waited for its {WaitingFor} since {Since}: terminating it, to be started again from its object")]
    public static partial void WorkflowStuck(ILogger logger, string instanceId, string waitingFor, DateTimeOffset since);

    [LoggerMessage(206, LogLevel.Error, "Workflow {InstanceId} still waits for its {WaitingFor} (silent since {Since}) though it was terminated at {TerminatedAt}: the termination did not take; restarting the workflow worker, then terminating it again")]
    public static partial void TerminationDidNotTake(ILogger logger, string instanceId, string waitingFor, DateTimeOffset since, DateTimeOffset terminatedAt);

    [LoggerMessage(207, LogLevel.Error, "The workflow worker should be restarted ({Reason}), but this host's worker belongs to the Durable extension: restart the app, or wait for the partition's lease to move to another instance")]
    public static partial void WorkerNotRestartable(ILogger logger, string reason);

    [LoggerMessage(203, LogLevel.Warning, "Workflow {InstanceId} was {State}; started it again for {Resource} {Namespace}/{Name}")]
    public static partial void WorkflowRestarted(ILogger logger, string instanceId, Ports.Workflows.WorkflowInstanceState state, string resource, string? @namespace, string name);

    [LoggerMessage(400, LogLevel.Information, "Garbage collector: deleted {Resource} {Namespace}/{Name}, whose owner {OwnerKind} {Owner} is gone or asked for it")]
    public static partial void DependentDeleted(ILogger logger, string resource, string? @namespace, string name, string ownerKind, string owner);

    [LoggerMessage(401, LogLevel.Information, "Garbage collector: orphaned {Resource} {Namespace}/{Name} from {OwnerKind} {Owner}")]
    public static partial void DependentOrphaned(ILogger logger, string resource, string? @namespace, string name, string ownerKind, string owner);

    [LoggerMessage(500, LogLevel.Information, "{Kind} {Namespace}/{Name} created pod {Pod}")]
    public static partial void ControllerCreatedPod(ILogger logger, string kind, string @namespace, string name, string pod);

    [LoggerMessage(501, LogLevel.Information, "{Kind} {Namespace}/{Name} deleted pod {Pod}")]
    public static partial void ControllerDeletedPod(ILogger logger, string kind, string @namespace, string name, string pod);

    [LoggerMessage(502, LogLevel.Warning, "{Kind} {Namespace}/{Name} could not create a pod: {Message}")]
    public static partial void ControllerCreateFailed(ILogger logger, string kind, string @namespace, string name, string message);

    [LoggerMessage(300, LogLevel.Information, "Node {Node} registered")]
    public static partial void NodeRegistered(ILogger logger, string node);

    [LoggerMessage(301, LogLevel.Debug, "Reported exit {ExitCode} of {Run} to its pod")]
    public static partial void ExitReported(ILogger logger, string run, int exitCode);

    [LoggerMessage(302, LogLevel.Warning, "Node agent loop failed and carries on: {Message}")]
    public static partial void NodeAgentError(ILogger logger, Exception exception, string message);
}
