namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>An event of a group or container.</summary>
public sealed class ContainerEvent
{
    /// <summary>Gets or sets how many times it happened.</summary>
    public int? Count { get; set; }

    /// <summary>Gets or sets when it first happened.</summary>
    public DateTimeOffset? FirstTimestamp { get; set; }

    /// <summary>Gets or sets when it last happened.</summary>
    public DateTimeOffset? LastTimestamp { get; set; }

    /// <summary>Gets or sets the event's name: Pulling, Pulled, Started, Failed, Killing, BackOff...</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the message, e.g. <c>Failed to pull image "x": ...</c>.</summary>
    public string? Message { get; set; }

    /// <summary>Gets or sets the type: <c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; set; }
}
