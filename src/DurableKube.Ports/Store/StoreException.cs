namespace DurableKube.Ports.Store;

/// <summary>A store operation that failed for a reason the caller can act on.</summary>
public sealed class StoreException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StoreException"/> class.</summary>
    /// <param name="kind">Why it failed.</param>
    /// <param name="key">The object concerned, if one.</param>
    /// <param name="message">A sentence for the user.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public StoreException(StoreErrorKind kind, ObjectKey? key, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Key = key;
    }

    /// <summary>Gets why the operation failed.</summary>
    public StoreErrorKind Kind { get; }

    /// <summary>Gets the object concerned, if one.</summary>
    public ObjectKey? Key { get; }

    /// <summary>Creates the NotFound error Kubernetes users know: <c>pods "x" not found</c>.</summary>
    /// <param name="key">The missing object.</param>
    /// <returns>The exception.</returns>
    public static StoreException NotFound(ObjectKey key) =>
        new(StoreErrorKind.NotFound, key, $"{key.Type.GroupResource} \"{key.Name}\" not found");

    /// <summary>Creates the AlreadyExists error: <c>pods "x" already exists</c>.</summary>
    /// <param name="key">The existing object.</param>
    /// <returns>The exception.</returns>
    public static StoreException AlreadyExists(ObjectKey key) =>
        new(StoreErrorKind.AlreadyExists, key, $"{key.Type.GroupResource} \"{key.Name}\" already exists");

    /// <summary>
    /// Creates the Expired error of a continue token whose list's resource version the change log no longer reaches,
    /// with the API server's words (clients such as client-go's pager look for "too old to display a consistent").
    /// </summary>
    /// <returns>The exception.</returns>
    public static StoreException ContinueExpired() =>
        new(StoreErrorKind.Expired, null, "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");

    /// <summary>Gets, for a Conflict, what the write conflicts with (the part of the message after the object's name).</summary>
    public string? Detail { get; private init; }

    /// <summary>Creates the Conflict error for a stale write.</summary>
    /// <param name="key">The object.</param>
    /// <returns>The exception.</returns>
    public static StoreException Conflict(ObjectKey key) =>
        Conflict(key, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>Creates a Conflict error: <c>Operation cannot be fulfilled on pods "x": detail</c>.</summary>
    /// <param name="key">The object.</param>
    /// <param name="detail">What the write conflicts with, e.g. a precondition that failed.</param>
    /// <returns>The exception.</returns>
    public static StoreException Conflict(ObjectKey key, string detail) =>
        new(StoreErrorKind.Conflict, key, $"Operation cannot be fulfilled on {key.Type.GroupResource} \"{key.Name}\": {detail}") { Detail = detail };
}
