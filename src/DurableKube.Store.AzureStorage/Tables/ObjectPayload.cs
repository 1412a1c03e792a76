using Azure.Data.Tables;
using DurableKube.Ports.Store;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// Puts an object's UTF-8 JSON into a table row, split over binary properties of at most 64 KiB
/// (the most one property holds), and reads it back.
/// </summary>
/// <remarks>
/// Azure allows 1 MiB per entity. Azurite measures an entity by its JSON request body, where binary
/// values travel base64-encoded (4/3 of their size), so the most that fits both is a little over
/// 768 KiB. <see cref="MaxBytes"/> is 11 chunks (704 KiB), leaving room for keys and the other
/// properties; a transaction then carries at most two such rows (object and change-log entry), far
/// under the 4 MiB request limit.
/// </remarks>
internal static class ObjectPayload
{
    /// <summary>The most bytes one binary property holds.</summary>
    public const int ChunkBytes = 64 * 1024;

    /// <summary>The most chunks one row holds.</summary>
    public const int MaxChunks = 11;

    /// <summary>The largest object JSON, in bytes, the store keeps.</summary>
    public const int MaxBytes = ChunkBytes * MaxChunks;

    /// <summary>The property holding how many chunks follow.</summary>
    public const string ChunkCountProperty = "Chunks";

    /// <summary>Gets the name of the property holding chunk <paramref name="index"/>.</summary>
    /// <param name="index">The chunk index.</param>
    /// <returns>The property name.</returns>
    public static string ChunkProperty(int index) => "J" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Stores JSON in a row.</summary>
    /// <param name="entity">The row.</param>
    /// <param name="json">The UTF-8 JSON, at most <see cref="MaxBytes"/> long.</param>
    public static void Write(TableEntity entity, byte[] json)
    {
        if (json.Length > MaxBytes)
        {
            throw new ArgumentException($"The JSON is {json.Length} bytes, more than the {MaxBytes} a row holds.", nameof(json));
        }

        var chunks = (json.Length + ChunkBytes - 1) / ChunkBytes;
        entity[ChunkCountProperty] = chunks;
        for (var i = 0; i < chunks; i++)
        {
            var start = i * ChunkBytes;
            entity[ChunkProperty(i)] = json.AsSpan(start, Math.Min(ChunkBytes, json.Length - start)).ToArray();
        }
    }

    /// <summary>Reads the JSON of a row.</summary>
    /// <param name="entity">The row.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public static byte[] Read(TableEntity entity)
    {
        var chunks = entity.GetInt32(ChunkCountProperty)
            ?? throw new InvalidDataException($"Row {entity.RowKey} has no {ChunkCountProperty} property.");
        var parts = new byte[chunks][];
        for (var i = 0; i < chunks; i++)
        {
            parts[i] = entity.GetBinary(ChunkProperty(i))
                ?? throw new InvalidDataException($"Row {entity.RowKey} misses chunk {i} of {chunks}.");
        }

        var json = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(json, offset);
            offset += part.Length;
        }

        return json;
    }

    /// <summary>Creates the error for an object that does not fit, naming the limit.</summary>
    /// <param name="key">The object.</param>
    /// <param name="size">Its JSON size in bytes.</param>
    /// <returns>The exception.</returns>
    public static StoreException TooLarge(ObjectKey key, long size) =>
        new(StoreErrorKind.TooLarge, key,
            $"Request entity too large: {key.Type.GroupResource} \"{key.Name}\" is {size} bytes of JSON, and the limit is {MaxBytes} bytes");
}
