namespace DurableKube.Registry;

/// <summary>How a create is made.</summary>
/// <param name="DryRun">Check and prepare the object, but store nothing.</param>
public sealed record CreateOptions(bool DryRun = false)
{
    /// <summary>Gets the default: a real create.</summary>
    public static CreateOptions Default { get; } = new();
}
