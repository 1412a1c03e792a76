using System.ComponentModel.DataAnnotations;

namespace DurableKube.Hosting;

/// <summary>Which container runtime the local node uses (configuration section <c>Runtime</c>, e.g. <c>Runtime__Kind=process</c>).</summary>
public sealed class RuntimeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Runtime";

    /// <summary>The process runtime: containers are processes on this machine (Linux).</summary>
    public const string Process = "process";

    /// <summary>The Docker runtime: each pod a sandbox container and each container a Docker container, through the Engine API.</summary>
    public const string Docker = "docker";

    /// <summary>Docker when an engine answers on <c>Runtime:Docker:Endpoint</c> at start-up, the process runtime otherwise (the default).</summary>
    public const string Auto = "auto";

    /// <summary>An Azure Container Instances node: a kind for <c>Nodes__&lt;name&gt;__Kind</c>, not for the local node.</summary>
    public const string Aci = "aci";

    /// <summary>No local node: every node is one of the <c>Nodes</c> section (the Functions app, whose workers must not run containers).</summary>
    public const string None = "none";

    /// <summary>Gets the runtime kinds this build provides.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Auto, Docker, Process, None];

    /// <summary>Gets or sets the runtime kind.</summary>
    [Required]
    public string Kind { get; set; } = Auto;
}

/// <summary>Which runtime the local node got, and why (what the local host logs at start-up).</summary>
/// <param name="Kind">The runtime: <c>docker</c>, <c>process</c> or <c>none</c>.</param>
/// <param name="Reason">Why: asked for by name, or what <c>auto</c> found.</param>
public sealed record LocalRuntimeChoice(string Kind, string Reason);
