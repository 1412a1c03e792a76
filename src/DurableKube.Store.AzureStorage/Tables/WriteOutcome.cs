using Azure;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>How a <see cref="PendingWrite"/> ended.</summary>
/// <param name="ResourceVersion">The resource version it committed at; 0 if it was rejected.</param>
/// <param name="Json">The object as committed (UTF-8 JSON); empty if it was rejected.</param>
/// <param name="Rejection">Why the object row refused the write (exists, missing, changed), or <see langword="null"/> if it committed.</param>
internal sealed record WriteOutcome(long ResourceVersion, byte[] Json, RequestFailedException? Rejection)
{
    /// <summary>Creates the outcome of a write the object row refused.</summary>
    /// <param name="rejection">The storage error for the object row.</param>
    /// <returns>The outcome.</returns>
    public static WriteOutcome Rejected(RequestFailedException rejection) => new(0, [], rejection);
}
