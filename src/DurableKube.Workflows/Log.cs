using DurableKube.Domain.Kubelet;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The workflows' log messages. Event ids: 1xx pods, 2xx dispatcher, 3xx node agent.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Pod {Namespace}/{Name} bound to node {Node}")]
    public static partial void Bound(ILogger logger, string @namespace, string name, string node);

    [LoggerMessage(101, LogLevel.Information, "Pod {Namespace}/{Name} is unschedulable: {Message}")]
    public static partial void Unschedulable(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(102, LogLevel.Information, "Pod {Namespace}/{Name}: started container {Container} (attempt {Attempt})")]
    public static partial void Started(ILogger logger, string @namespace, string name, string container, int attempt);

    [LoggerMessage(103, LogLevel.Warning, "Pod {Namespace}/{Name}: container {Container} cannot be created: {Message}")]
    public static partial void NotCreated(ILogger logger, string @namespace, string name, string container, string message);

    [LoggerMessage(104, LogLevel.Information, "Pod {Namespace}/{Name}: sent {Signal} to container {Container} (attempt {Attempt})")]
    public static partial void StopSent(ILogger logger, string @namespace, string name, string container, int attempt, StopSignal signal);

    [LoggerMessage(105, LogLevel.Information, "Pod {Namespace}/{Name} removed")]
    public static partial void Removed(ILogger logger, string @namespace, string name);

    [LoggerMessage(106, LogLevel.Warning, "Pod {InstanceId}: sync failed, trying again at {RetryAt}: {Message}")]
    public static partial void SyncFailed(ILogger logger, string instanceId, DateTimeOffset retryAt, string message);

    [LoggerMessage(107, LogLevel.Information, "Pod {InstanceId}: continuing as new after {Turns} turns")]
    public static partial void ContinuedAsNew(ILogger logger, string instanceId, int turns);

    [LoggerMessage(200, LogLevel.Debug, "Dispatching {Type} of {Resource} {Namespace}/{Name}")]
    public static partial void Dispatching(ILogger logger, string type, string resource, string? @namespace, string name);

    [LoggerMessage(201, LogLevel.Information, "Started workflow {InstanceId} for {Resource} {Namespace}/{Name}")]
    public static partial void WorkflowStarted(ILogger logger, string instanceId, string resource, string? @namespace, string name);

    [LoggerMessage(202, LogLevel.Information, "Resynced {Count} pods and {Namespaces} terminating namespaces")]
    public static partial void Resynced(ILogger logger, int count, int namespaces);

    [LoggerMessage(300, LogLevel.Information, "Node {Node} registered")]
    public static partial void NodeRegistered(ILogger logger, string node);

    [LoggerMessage(301, LogLevel.Debug, "Reported exit {ExitCode} of {Run} to its pod")]
    public static partial void ExitReported(ILogger logger, string run, int exitCode);

    [LoggerMessage(302, LogLevel.Warning, "Node agent loop failed and carries on: {Message}")]
    public static partial void NodeAgentError(ILogger logger, Exception exception, string message);
}
