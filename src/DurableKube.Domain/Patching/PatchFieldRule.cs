namespace DurableKube.Domain.Patching;

/// <summary>How a strategic merge patch treats one field: its patch strategy and, for lists of objects, its merge key.</summary>
/// <param name="Strategy">The <c>patchStrategy</c> tag.</param>
/// <param name="MergeKey">The <c>patchMergeKey</c> tag, e.g. <c>name</c>; <see langword="null"/> for none.</param>
public sealed record PatchFieldRule(PatchStrategy Strategy, string? MergeKey)
{
    /// <summary>Gets the rule of an untagged field.</summary>
    public static PatchFieldRule None { get; } = new(PatchStrategy.None, null);

    /// <summary>Gets a value indicating whether a list under this rule merges rather than being replaced.</summary>
    public bool Merges => (Strategy & PatchStrategy.Merge) != 0;

    /// <summary>Gets a value indicating whether a map under this rule is replaced rather than merged.</summary>
    public bool Replaces => (Strategy & PatchStrategy.Replace) != 0;
}
