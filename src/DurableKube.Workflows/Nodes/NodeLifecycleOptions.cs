using System.ComponentModel.DataAnnotations;
using DurableKube.Domain.Nodes;

namespace DurableKube.Workflows.Nodes;

/// <summary>The node lifecycle controller's settings (configuration section <c>NodeLifecycle</c>).</summary>
public sealed class NodeLifecycleOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NodeLifecycle";

    /// <summary>
    /// Gets or sets how long a node holding pods may go without its kubelet reporting before it is Ready=Unknown and tainted
    /// unreachable (Kubernetes' <c>--node-monitor-grace-period</c>, 40 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GracePeriod { get; set; } = NodeLifecycle.DefaultGracePeriod;
}
