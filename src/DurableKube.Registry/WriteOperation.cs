namespace DurableKube.Registry;

/// <summary>What a write does to the store.</summary>
public enum WriteOperation
{
    /// <summary>Stores a new object.</summary>
    Create,

    /// <summary>Replaces a stored object (including marking it for deletion).</summary>
    Update,

    /// <summary>Removes an object from the store.</summary>
    Delete,
}
