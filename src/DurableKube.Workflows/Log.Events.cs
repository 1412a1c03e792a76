using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The event recorder's messages (9xx).</summary>
internal static partial class Log
{
    [LoggerMessage(900, LogLevel.Warning, "Event {Reason} about {Kind} {Namespace}/{Name} dropped: the recorder's buffer is full ({Dropped} dropped so far)")]
    public static partial void EventDropped(ILogger logger, string reason, string kind, string @namespace, string name, long dropped);

    [LoggerMessage(901, LogLevel.Warning, "Event {Reason} about {Kind} {Namespace}/{Name} not written: {Message}")]
    public static partial void EventNotWritten(ILogger logger, string reason, string kind, string @namespace, string name, string message);

    [LoggerMessage(902, LogLevel.Debug, "Event {Reason} about {Name} held back by the spam filter")]
    public static partial void EventFiltered(ILogger logger, string reason, string name);

    [LoggerMessage(903, LogLevel.Information, "Removed {Count} expired events")]
    public static partial void EventsSwept(ILogger logger, int count);

    [LoggerMessage(904, LogLevel.Warning, "Writing or sweeping events failed; trying again")]
    public static partial void EventsFailed(ILogger logger, Exception exception);
}
