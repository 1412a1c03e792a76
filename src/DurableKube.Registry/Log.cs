using Microsoft.Extensions.Logging;

namespace DurableKube.Registry;

/// <summary>The write path's log messages. Event ids 5xxx.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Created {Resource} {Namespace}/{Name}")]
    public static partial void Created(ILogger logger, string resource, string? @namespace, string name);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Marked {Resource} {Namespace}/{Name} for deletion")]
    public static partial void MarkedForDeletion(ILogger logger, string resource, string? @namespace, string name);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Deleted {Resource} {Namespace}/{Name}")]
    public static partial void Deleted(ILogger logger, string resource, string? @namespace, string name);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "A write hook failed after {Operation} of {Resource} {Namespace}/{Name} committed; the write stands")]
    public static partial void HookFailed(ILogger logger, WriteOperation operation, string resource, string? @namespace, string name, Exception exception);
}
