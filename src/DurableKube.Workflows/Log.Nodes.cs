using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows;

/// <summary>The node lifecycle controller's and the taint manager's messages (7xx), in their words (events come with issue 10).</summary>
internal static partial class Log
{
    [LoggerMessage(700, LogLevel.Warning, "Node {Node} hasn't been updated for {Silence}; its kubelet stopped posting node status: Ready is Unknown")]
    public static partial void NodeStatusUnknown(ILogger logger, string node, TimeSpan silence);

    [LoggerMessage(701, LogLevel.Information, "Node {Node} taints are now [{Taints}]")]
    public static partial void NodeTainted(ILogger logger, string node, string taints);

    [LoggerMessage(702, LogLevel.Information, "TaintManagerEviction: Marking for deletion Pod {Namespace}/{Name} from Node {Node}")]
    public static partial void TaintManagerEviction(ILogger logger, string @namespace, string name, string node);

    [LoggerMessage(703, LogLevel.Information, "NodeNotReady: Node is not ready, pod {Namespace}/{Name} on {Node} marked not ready")]
    public static partial void PodMarkedNotReady(ILogger logger, string @namespace, string name, string node);
}
