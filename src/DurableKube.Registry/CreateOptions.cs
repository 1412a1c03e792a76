namespace DurableKube.Registry;

/// <summary>How a create is made.</summary>
/// <param name="DryRun">Check and prepare the object, but store nothing.</param>
public sealed record CreateOptions(bool DryRun = false)
{
    /// <summary>Gets the field manager the create is recorded under; <see langword="null"/> for the server's own writers.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Gets a value indicating whether the caller set <c>metadata.managedFields</c> itself (server-side apply).</summary>
    public bool ManagedFieldsSet { get; init; }

    /// <summary>Gets the default: a real create.</summary>
    public static CreateOptions Default { get; } = new();
}
