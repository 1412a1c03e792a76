using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The Deployment controller's log messages: 53x.</summary>
internal static partial class Log
{
    [LoggerMessage(530, LogLevel.Information, "Deployment {Namespace}/{Name}: {Reason}: {Message}")]
    public static partial void DeploymentEvent(ILogger logger, string @namespace, string name, string reason, string message);

    [LoggerMessage(531, LogLevel.Warning, "Deployment {Namespace}/{Name}: {Reason}: {Message}")]
    public static partial void DeploymentWarning(ILogger logger, string @namespace, string name, string reason, string message);
}
