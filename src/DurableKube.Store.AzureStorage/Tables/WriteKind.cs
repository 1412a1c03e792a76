namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>What a write does to the object row.</summary>
internal enum WriteKind
{
    /// <summary>Inserts the row; fails if it exists.</summary>
    Create,

    /// <summary>Replaces the row, under an ETag (or any ETag); fails if it is missing or changed.</summary>
    Replace,

    /// <summary>Deletes the row under the ETag it was read with; fails if it is missing or changed.</summary>
    Delete,
}
