using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using DurableKube.Domain.Scheduling;
using k8s.Models;

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

    /// <summary>
    /// Gets or sets the most pods the node takes (the kubelet's <c>--max-pods</c>, <c>Node__MaxPods=250</c>); by
    /// default the kubelet's 110.
    /// </summary>
    [Range(1, 100_000)]
    public int? MaxPods { get; set; }

    /// <summary>Gets the labels the Node carries besides the well-known ones (<c>Node__Labels__tier=edge</c>).</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the Node's taints as <c>kubectl taint</c> writes them: <c>key[=value]:Effect</c> (<c>Node__Taints__0=gpu=true:NoSchedule</c>).</summary>
    [TaintList]
    public List<string> Taints { get; } = [];

    /// <summary>Reads <see cref="Taints"/>.</summary>
    /// <returns>The taints.</returns>
    /// <exception cref="FormatException">One is not <c>key[=value]:Effect</c>.</exception>
    public IReadOnlyList<V1Taint> ParseTaints() => Taints.Select(TaintSyntax.Parse).ToList();

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
