namespace DurableKube.LocalHost;

/// <summary>What the local host says as it starts.</summary>
internal static partial class StartupLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Local node runtime: {Runtime} ({Reason})")]
    public static partial void LocalRuntime(ILogger logger, string runtime, string reason);
}
