using System.ComponentModel.DataAnnotations;

namespace DurableKube.Hosting;

/// <summary>Which container runtime the local node uses (configuration section <c>Runtime</c>, e.g. <c>Runtime__Kind=process</c>).</summary>
public sealed class RuntimeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Runtime";

    /// <summary>The process runtime: containers are processes on this machine (Linux).</summary>
    public const string Process = "process";

    /// <summary>No local node: every node is one of the <c>Nodes</c> section (the Functions app, whose workers must not run containers).</summary>
    public const string None = "none";

    /// <summary>Gets the runtime kinds this build provides.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Process, None];

    /// <summary>Gets or sets the runtime kind.</summary>
    [Required]
    public string Kind { get; set; } = Process;
}
