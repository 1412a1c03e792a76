using Microsoft.Extensions.Logging;

namespace DurableKube.Runtime.Aci;

/// <summary>The ACI runtime's log messages (event ids 3100-3199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "ARM {Method} {Path} failed ({Failure}); retry {Attempt} in {Delay}")]
    public static partial void ArmRetry(ILogger logger, string method, string path, string failure, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "ARM has no room for container group {Group}: {Code}: {Message}")]
    public static partial void ArmCapacity(ILogger logger, string group, string code, string message);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Created container group {Group} for pod {Namespace}/{Pod} ({Uid})")]
    public static partial void GroupCreated(ILogger logger, string group, string @namespace, string pod, string uid);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Deleted container group {Group}")]
    public static partial void GroupDeleted(ILogger logger, string group);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Restarted container group {Group} as generation {Generation}")]
    public static partial void GroupRestarted(ILogger logger, string group, int generation);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Container group {Group} of pod {Uid} is gone")]
    public static partial void GroupGone(ILogger logger, string group, string uid);
}
