using Azure;
using DurableKube.Ports.Store;

namespace DurableKube.Store.AzureStorage;

/// <summary>
/// Tells a storage account that is away (refused or dropped connections, no answer within the network timeout, 5xx,
/// throttling, after the SDK's own retries) from a refusal of the request itself, and turns the first into
/// <see cref="StoreErrorKind.Unavailable"/>, which the API answers with 503 and a Retry-After.
/// </summary>
internal static class StorageFaults
{
    /// <summary>Whether a failure says the storage account is away rather than that the request was wrong.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="caller">The caller's token: a cancellation the caller asked for is not an outage.</param>
    /// <returns><see langword="true"/> for an outage.</returns>
    public static bool IsUnavailable(Exception failure, CancellationToken caller) => failure switch
    {
        RequestFailedException e => e.Status is 0 or 408 or 429 or >= 500,
        AggregateException e => e.InnerExceptions.Count > 0 && e.InnerExceptions.All(inner => IsUnavailable(inner, caller)),
        IOException or HttpRequestException or TimeoutException => true,
        OperationCanceledException => !caller.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The store's error for an outage.</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>The error to throw instead.</returns>
    public static StoreException Unavailable(Exception failure) =>
        new(StoreErrorKind.Unavailable, null, "the object store did not answer (" + Describe(failure) + "); try again shortly", failure);

    private static string Describe(Exception failure) => failure switch
    {
        RequestFailedException { Status: 0 } => "no connection",
        RequestFailedException e => $"status {e.Status}",
        AggregateException e when e.InnerExceptions.Count > 0 => Describe(e.InnerExceptions[^1]),
        OperationCanceledException or TimeoutException => "timed out",
        _ => "connection failed",
    };
}
