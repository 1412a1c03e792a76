using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The StatefulSet controller's log messages: 54x.</summary>
internal static partial class Log
{
    [LoggerMessage(540, LogLevel.Information, "StatefulSet {Namespace}/{Name} created revision {Revision} (number {Number})")]
    public static partial void StatefulSetCreatedRevision(ILogger logger, string @namespace, string name, string revision, long number);

    [LoggerMessage(541, LogLevel.Information, "StatefulSet {Namespace}/{Name} deleted revision {Revision} beyond its revisionHistoryLimit")]
    public static partial void StatefulSetTrimmedRevision(ILogger logger, string @namespace, string name, string revision);

    [LoggerMessage(542, LogLevel.Warning, "StatefulSet {Namespace}/{Name}: {Message}")]
    public static partial void StatefulSetWarning(ILogger logger, string @namespace, string name, string message);
}
