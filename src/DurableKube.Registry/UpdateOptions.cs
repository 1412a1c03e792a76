using DurableKube.Ports.Store;

namespace DurableKube.Registry;

/// <summary>How an update is made.</summary>
/// <param name="Subresource">
/// The subresource written through (<c>status</c>, <c>finalize</c>, <c>binding</c>), or <see langword="null"/>
/// for the main resource; the kind's strategy decides what each may change.
/// </param>
/// <param name="DryRun">Check and prepare the object, but store nothing.</param>
/// <param name="Preconditions">A uid (and resource version) the stored object must still have; another answers Conflict.</param>
public sealed record UpdateOptions(string? Subresource = null, bool DryRun = false, Preconditions? Preconditions = null)
{
    /// <summary>
    /// Gets the field manager the write is recorded under in <c>metadata.managedFields</c> (an <c>Update</c> entry);
    /// <see langword="null"/> for the server's own writers: <c>kubelet</c> for pod status, else <c>kube-controller-manager</c>.
    /// </summary>
    public string? FieldManager { get; init; }

    /// <summary>Gets the subresource the managed fields entry names when it is not <see cref="Subresource"/> (<c>scale</c>, which writes the main resource).</summary>
    public string? FieldsSubresource { get; init; }

    /// <summary>Gets a value indicating whether the caller set <c>metadata.managedFields</c> itself (server-side apply), so the write records no <c>Update</c> entry.</summary>
    public bool ManagedFieldsSet { get; init; }

    /// <summary>Gets the default: a real update of the main resource.</summary>
    public static UpdateOptions Default { get; } = new();

    /// <summary>Gets options for a write of the <c>status</c> subresource.</summary>
    /// <param name="uid">The uid the object must still have, if the writer acts for one object only (a kubelet, a controller).</param>
    /// <returns>The options.</returns>
    public static UpdateOptions Status(string? uid = null) =>
        new(Domain.Kinds.Subresource.Status.Name, Preconditions: uid is null ? null : new Preconditions(Uid: uid));
}
