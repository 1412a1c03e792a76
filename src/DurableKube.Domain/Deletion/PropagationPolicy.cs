namespace DurableKube.Domain.Deletion;

/// <summary>What deleting an owner does to its dependents (<c>DeleteOptions.propagationPolicy</c>).</summary>
public enum PropagationPolicy
{
    /// <summary>The owner goes at once; the garbage collector deletes the dependents afterwards.</summary>
    Background,

    /// <summary>The owner stays, with the <c>foregroundDeletion</c> finalizer, until the dependents that block it are gone.</summary>
    Foreground,

    /// <summary>The dependents stay, their ownerReferences to the owner removed (the <c>orphan</c> finalizer).</summary>
    Orphan,
}
