using Microsoft.Extensions.Logging;

namespace DurableKube.Store.AzureStorage;

/// <summary>The store's log messages. Event ids: 1xxx writes, 2xxx change log, 3xxx work queue.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "The resource version counter moved before a transaction of {Writes} writes committed (conflict {Conflicts}); reading it again")]
    public static partial void CounterConflict(ILogger logger, int writes, int conflicts);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "A transaction whose response was lost had committed: resource versions {First} to {Last}")]
    public static partial void LostResponseCommitted(ILogger logger, long first, long last);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "A transaction of {Writes} writes failed")]
    public static partial void TransactionFailed(ILogger logger, int writes, Exception exception);


    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug,
        Message = "Compacted the change log through resource version {ResourceVersion}: {Removed} entries removed")]
    public static partial void ChangeLogCompacted(ILogger logger, long resourceVersion, int removed);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Compacting the change log failed; trying again in {Interval}")]
    public static partial void CompactionFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Removed queue message {MessageId}: it is not an object change ({Reason})")]
    public static partial void PoisonMessage(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error,
        Message = "Moved queue message {MessageId} to {PoisonQueue}: it is not an object change ({Reason})")]
    public static partial void UnreadableMessageSetAside(ILogger logger, string messageId, string poisonQueue, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Moved queue message {MessageId} ({Resource} {Namespace}/{Name}) to {PoisonQueue}")]
    public static partial void MovedToPoison(ILogger logger, string messageId, string resource, string? @namespace, string name, string poisonQueue);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug,
        Message = "Queue message {MessageId} was gone or taken again when it was to be moved to the poison queue; left alone")]
    public static partial void PoisonMessageNotHeld(ILogger logger, string messageId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug,
        Message = "Queue message {MessageId} was gone or taken again when it was completed")]
    public static partial void CompletedMessageMissing(ILogger logger, string messageId);
}
