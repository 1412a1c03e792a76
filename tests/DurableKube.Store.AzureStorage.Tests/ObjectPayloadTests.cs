using Azure.Data.Tables;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Tables;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>Splitting JSON over binary properties and joining it again.</summary>
public sealed class ObjectPayloadTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(64 * 1024, 1)]
    [InlineData((64 * 1024) + 1, 2)]
    [InlineData(ObjectPayload.MaxBytes, ObjectPayload.MaxChunks)]
    public void Json_IsSplitIntoChunksOfAtMost64KiB_AndJoinsBack(int size, int chunks)
    {
        var json = new byte[size];
        new Random(size).NextBytes(json);
        var row = new TableEntity("p", "r");

        ObjectPayload.Write(row, json);

        Assert.Equal(chunks, row.GetInt32(ObjectPayload.ChunkCountProperty));
        Assert.All(Enumerable.Range(0, chunks), i => Assert.InRange(row.GetBinary(ObjectPayload.ChunkProperty(i))!.Length, 1, 64 * 1024));
        Assert.Null(row.GetBinary(ObjectPayload.ChunkProperty(chunks)));
        Assert.Equal(json, ObjectPayload.Read(row));
    }

    [Fact]
    public void Json_LargerThanTheLimit_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => ObjectPayload.Write(new TableEntity("p", "r"), new byte[ObjectPayload.MaxBytes + 1]));
    }

    [Fact]
    public void RowMissingAChunk_IsReportedNotMisread()
    {
        var row = new TableEntity("p", "r");
        ObjectPayload.Write(row, new byte[100_000]);
        row.Remove(ObjectPayload.ChunkProperty(1));

        Assert.Throws<InvalidDataException>(() => ObjectPayload.Read(row));
    }

    [Fact]
    public void TooLarge_NamesTheObjectItsSizeAndTheLimit()
    {
        var error = ObjectPayload.TooLarge(new ObjectKey(ResourceTypes.Pods, "default", "web"), 2_000_000);

        Assert.Equal(StoreErrorKind.TooLarge, error.Kind);
        Assert.Equal($"Request entity too large: pods \"web\" is 2000000 bytes of JSON, and the limit is {ObjectPayload.MaxBytes} bytes", error.Message);
    }
}
