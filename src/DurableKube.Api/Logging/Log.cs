using Microsoft.Extensions.Logging;

namespace DurableKube.Api.Logging;

/// <summary>The API's log messages. Event ids: 1xxx requests, 2xxx writes, 3xxx watches and logs, 4xxx start-up.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly (correlation id {CorrelationId})")]
    public static partial void RequestFailed(ILogger logger, string method, string path, string correlationId, Exception exception);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Method} {Path} answered {Code}: {Message}")]
    public static partial void RequestRefused(ILogger logger, string method, string path, int code, string? message);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Created {Resource} {Namespace}/{Name}")]
    public static partial void ObjectCreated(ILogger logger, string resource, string? @namespace, string name);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Marked {Resource} {Namespace}/{Name} for deletion")]
    public static partial void ObjectMarkedForDeletion(ILogger logger, string resource, string? @namespace, string name);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Deleted {Resource} {Namespace}/{Name}")]
    public static partial void ObjectDeleted(ILogger logger, string resource, string? @namespace, string name);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Watch of {Resource} in {Namespace} from {ResourceVersion} for up to {TimeoutSeconds}s")]
    public static partial void WatchStarted(ILogger logger, string resource, string? @namespace, string resourceVersion, int timeoutSeconds);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Watch of {Resource} in {Namespace} ended at {ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, string resource, string? @namespace, string resourceVersion);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Log of {Namespace}/{Pod} container {Container} (follow: {Follow})")]
    public static partial void LogStreamStarted(ILogger logger, string? @namespace, string pod, string container, bool follow);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Opened {Subresource} of {Namespace}/{Pod} container {Container} ({Protocol})")]
    public static partial void StreamOpened(ILogger logger, string subresource, string @namespace, string pod, string container, string protocol);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Port-forward of {Namespace}/{Pod} ({Protocol}) to {Address}")]
    public static partial void PortForwardOpened(ILogger logger, string @namespace, string pod, string protocol, System.Net.IPAddress address);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Port-forward to {Namespace}/{Pod} failed: {Message}")]
    public static partial void PortForwardFailed(ILogger logger, string @namespace, string pod, string message);

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "System namespaces are in place")]
    public static partial void SystemNamespacesReady(ILogger logger);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Could not create the system namespaces yet (attempt {Attempt}); retrying")]
    public static partial void SystemNamespacesRetry(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "The runtime of node {Node} gave no usage figures; its node and pods are left out of the metrics API")]
    public static partial void UsageUnavailable(ILogger logger, string node, Exception exception);
}
