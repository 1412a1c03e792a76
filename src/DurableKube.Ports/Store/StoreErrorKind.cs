namespace DurableKube.Ports.Store;

/// <summary>Why a store operation failed; each maps to one Kubernetes status reason.</summary>
public enum StoreErrorKind
{
    /// <summary>The object does not exist (404 NotFound).</summary>
    NotFound,

    /// <summary>An object with that name already exists (409 AlreadyExists).</summary>
    AlreadyExists,

    /// <summary>The object changed since it was read: stale resource version or uid (409 Conflict).</summary>
    Conflict,

    /// <summary>The requested resource version is older than the change log reaches (410 Gone / Expired).</summary>
    Expired,

    /// <summary>The object is larger than the store can hold (413 RequestEntityTooLarge).</summary>
    TooLarge,

    /// <summary>A continue token is malformed or for another list (400 BadRequest).</summary>
    InvalidContinue,

    /// <summary>
    /// The store did not answer (its storage account is away: connections refused or unanswered, 5xx, throttled) after
    /// its own retries (503 ServiceUnavailable with a Retry-After). A write that fails so may still have been stored.
    /// </summary>
    Unavailable,
}
