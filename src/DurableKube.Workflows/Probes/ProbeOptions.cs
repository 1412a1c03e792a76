using System.ComponentModel.DataAnnotations;

namespace DurableKube.Workflows.Probes;

/// <summary>The node-side prober's settings (configuration section <c>Probes</c>).</summary>
public sealed class ProbeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Probes";

    /// <summary>Gets or sets how often the prober lists the pods bound to its node again, besides watching them (a change the watch missed heals then).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RelistInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how often a worker tells the pod's workflow its current result again, though it has not changed, so that
    /// a signal lost on the way heals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(30);
}
