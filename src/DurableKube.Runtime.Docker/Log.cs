using Microsoft.Extensions.Logging;

namespace DurableKube.Runtime.Docker;

/// <summary>The Docker runtime's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Sandbox of pod {Namespace}/{Pod} is ready at {PodIP}")]
    public static partial void SandboxCreated(ILogger logger, string @namespace, string pod, string podIP);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod} container {Container}: {Reason}: {Message}")]
    public static partial void ImageNotReady(ILogger logger, string @namespace, string pod, string container, string reason, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Built the pause image {Image}")]
    public static partial void PauseImageBuilt(ILogger logger, string image);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Lost the engine's event stream ({Error}); reconnecting")]
    public static partial void EventStreamLost(ILogger logger, string error);
}
