using DurableKube.Runtime.Aci.Arm.Models;

namespace DurableKube.Runtime.Aci;

/// <summary>
/// What the runtime knows of one pod's group: its name, the last read of it, and when it is due to be read again.
/// The runtime locks the entry while it changes the read, its time and the schedule together.
/// </summary>
internal sealed class GroupEntry(string podUid, string name)
{
    public string PodUid { get; } = podUid;

    public string Name { get; } = name;

    /// <summary>Gets or sets the last read of the group with its instance view, if any.</summary>
    public ContainerGroup? Observed { get; set; }

    public DateTimeOffset ObservedAt { get; set; }

    /// <summary>Gets or sets when the group is due to be read again.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Gets or sets the wait after the next read that finds nothing new (it doubles each time, up to the maximum).</summary>
    public TimeSpan Backoff { get; set; }

    public string? Fingerprint { get; set; }

    /// <summary>Gets or sets the provisioning state the last list showed: a change makes the group due.</summary>
    public string? ListedState { get; set; }
}
