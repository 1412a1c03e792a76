using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The prober's messages (6xx), in the kubelet's words (its events come with issue 10).</summary>
internal static partial class Log
{
    [LoggerMessage(600, LogLevel.Warning, "Pod {Namespace}/{Name}, container {Container}: {Probe} probe failed: {Output}")]
    public static partial void ProbeFailed(ILogger logger, string @namespace, string name, string container, string probe, string output);

    [LoggerMessage(601, LogLevel.Warning, "Pod {Namespace}/{Name}, container {Container}: {Probe} probe warning: {Output}")]
    public static partial void ProbeWarning(ILogger logger, string @namespace, string name, string container, string probe, string output);

    [LoggerMessage(602, LogLevel.Warning, "Pod {Namespace}/{Name}, container {Container}: {Probe} probe errored and resulted in unknown state: {Message}")]
    public static partial void ProbeErrored(ILogger logger, string @namespace, string name, string container, string probe, string message);

    [LoggerMessage(603, LogLevel.Information, "Pod {Namespace}/{Name}: {Message}")]
    public static partial void ProbeKilling(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(604, LogLevel.Debug, "Pod {Namespace}/{Name}, container {Container} (attempt {Attempt}): {Probe} result {Result} reported")]
    public static partial void ProbeReported(ILogger logger, string @namespace, string name, string container, int attempt, string probe, string result);

    [LoggerMessage(605, LogLevel.Warning, "Prober of node {Node} failed and carries on: {Message}")]
    public static partial void ProberError(ILogger logger, Exception exception, string node, string message);
}
