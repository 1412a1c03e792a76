namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The answer of the logs endpoint.</summary>
public sealed class ContainerLogs
{
    /// <summary>Gets or sets the log text, lines separated by newlines.</summary>
    public string? Content { get; set; }
}
