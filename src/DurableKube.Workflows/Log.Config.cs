using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The kubelet's messages about ConfigMaps, Secrets and volumes (13x), in its words (its events come with issue 10). Never a value.</summary>
internal static partial class Log
{
    [LoggerMessage(130, LogLevel.Warning, "Pod {Namespace}/{Name}: {Reason}: {Message}")]
    public static partial void KubeletWarning(ILogger logger, string @namespace, string name, string reason, string message);

    [LoggerMessage(131, LogLevel.Warning, "Pod {Namespace}/{Name}: FailedToRetrieveImagePullSecret: Unable to retrieve some image pull secrets ({Secret}); attempting to pull the image may not succeed.")]
    public static partial void PullSecretMissing(ILogger logger, string @namespace, string name, string secret);

    [LoggerMessage(132, LogLevel.Information, "Pod {Namespace}/{Name}: volume {Volume} updated in place from its {Kind}")]
    public static partial void VolumeUpdated(ILogger logger, string @namespace, string name, string volume, string kind);

    [LoggerMessage(133, LogLevel.Information, "Pod {Namespace}/{Name}: the runtime cannot update volume {Volume} in place; its files stay as they were")]
    public static partial void VolumeNotUpdatable(ILogger logger, string @namespace, string name, string volume);

    [LoggerMessage(134, LogLevel.Warning, "Pod {Namespace}/{Name}: {Message}")]
    public static partial void FailedMount(ILogger logger, string @namespace, string name, string message);
}
