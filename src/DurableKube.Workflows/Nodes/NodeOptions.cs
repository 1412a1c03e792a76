using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace DurableKube.Workflows.Nodes;

/// <summary>The node this host's runtime provides (configuration section <c>Node</c>).</summary>
public sealed partial class NodeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Node";

    /// <summary>Gets or sets the node's name; by default the machine's host name made a valid DNS-1123 subdomain.</summary>
    [Required]
    [RegularExpression(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    [StringLength(253)]
    public string Name { get; set; } = DefaultName(Environment.MachineName);

    /// <summary>Gets or sets how often the node's status (its Ready condition) is refreshed (Kubernetes: 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how often every run is checked for an exit that did not reach its pod.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ExitResyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Makes a host name a valid node name: lowercase, only letters, digits, '-' and '.'.</summary>
    /// <param name="hostName">The host name.</param>
    /// <returns>The node name.</returns>
    public static string DefaultName(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var name = Invalid().Replace(hostName.ToLowerInvariant(), "-").Trim('-', '.');
        return name.Length == 0 ? "durablekube-node" : name[..Math.Min(name.Length, 63)].TrimEnd('-', '.');
    }

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex Invalid();
}
