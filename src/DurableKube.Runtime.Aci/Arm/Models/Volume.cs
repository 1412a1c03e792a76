namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>A volume of the group: an empty directory, or secret files (each value base64).</summary>
public sealed class Volume
{
    /// <summary>Gets or sets the name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the empty directory, for an emptyDir volume.</summary>
    public EmptyDirVolume? EmptyDir { get; set; }

    /// <summary>Gets or sets the files of a secret volume: file name to base64 content.</summary>
    public Dictionary<string, string>? Secret { get; set; }
}
