using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// One object write waiting for the committer: what to do to the object row, the object (as a JSON
/// tree whose resource version is filled in when the committer numbers the write), and where the
/// outcome goes.
/// </summary>
internal sealed class PendingWrite
{
    private readonly JsonNode _body;

    private PendingWrite(ObjectKey key, WriteKind kind, JsonNode body, ETag objectETag, WatchEventType change, int size)
    {
        Key = key;
        RowKey = TableKeys.ObjectRow(key);
        Kind = kind;
        _body = body;
        ObjectETag = objectETag;
        Change = change;

        // Both rows travel base64-encoded in the transaction's JSON body, with some room for properties.
        EstimatedRequestBytes = 2L * (((size + 2) / 3 * 4) + 2048);
    }

    /// <summary>Gets the object.</summary>
    public ObjectKey Key { get; }

    /// <summary>Gets the object's row key.</summary>
    public string RowKey { get; }

    /// <summary>Gets what the write does to the object row.</summary>
    public WriteKind Kind { get; }

    /// <summary>Gets the ETag the object row must still have (<see cref="ETag.All"/> for any); unused by <see cref="WriteKind.Create"/>.</summary>
    public ETag ObjectETag { get; }

    /// <summary>Gets the change-log entry type.</summary>
    public WatchEventType Change { get; }

    /// <summary>Gets about how many request bytes the write adds to a transaction.</summary>
    public long EstimatedRequestBytes { get; }

    /// <summary>Gets where the committer reports the outcome.</summary>
    public TaskCompletionSource<WriteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Prepares a write, refusing an object too large to store.</summary>
    /// <param name="key">The object.</param>
    /// <param name="kind">What the write does to the object row.</param>
    /// <param name="body">The object as a JSON tree the write may change (its resource version).</param>
    /// <param name="objectETag">The ETag the object row must have.</param>
    /// <param name="change">The change-log entry type.</param>
    /// <returns>The write.</returns>
    /// <exception cref="StoreException">Kind <see cref="StoreErrorKind.TooLarge"/>.</exception>
    public static PendingWrite Prepare(ObjectKey key, WriteKind kind, JsonNode body, ETag objectETag, WatchEventType change)
    {
        if (body["metadata"] is not JsonObject)
        {
            throw new ArgumentException("The object has no metadata.", nameof(body));
        }

        // Measure with the longest resource version there can be, so that numbering never pushes it over.
        var size = Render(body, long.MaxValue).Length;
        if (size > ObjectPayload.MaxBytes)
        {
            throw ObjectPayload.TooLarge(key, size);
        }

        return new PendingWrite(key, kind, body, objectETag, change, size);
    }

    /// <summary>Gets the object's JSON at a resource version. Only the committer calls this.</summary>
    /// <param name="resourceVersion">The resource version the write is numbered with.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public byte[] Render(long resourceVersion) => Render(_body, resourceVersion);

    private static byte[] Render(JsonNode body, long resourceVersion)
    {
        body["metadata"]!["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return JsonSerializer.SerializeToUtf8Bytes(body, KubeJson.Options);
    }
}
