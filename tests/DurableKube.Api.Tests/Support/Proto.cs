using System.Text;

namespace DurableKube.Api.Tests.Support;

/// <summary>
/// Writes protobuf request bodies the way Go's generated marshallers (and so kubectl) do: the <c>k8s\0</c> envelope
/// around a runtime.Unknown, length-delimited fields, varints, maps as repeated entries.
/// </summary>
internal static class Proto
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    public static byte[] Body(string apiVersion, string kind, byte[] raw) =>
        [0x6b, 0x38, 0x73, 0x00, .. Field(1, Message(Field(1, apiVersion), Field(2, kind))), .. Field(2, raw), .. Field(3, string.Empty), .. Field(4, string.Empty)];

    public static byte[] Message(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

    public static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    public static byte[] Field(int number, byte[] bytes) => [.. Tag(number, 2), .. VarintBytes((ulong)bytes.Length), .. bytes];

    public static byte[] Varint(int number, long value) => [.. Tag(number, 0), .. VarintBytes((ulong)value)];

    public static byte[] Map(int number, string key, string value) => MapEntry(number, key, Encoding.UTF8.GetBytes(value));

    public static byte[] MapEntry(int number, string key, byte[] value) => Field(number, Message(Field(1, key), Field(2, value)));

    public static byte[] Time(int number, long seconds) => Field(number, Message(Varint(1, seconds), Varint(2, 0)));

    private static byte[] Tag(int number, int wire) => VarintBytes((ulong)((number << 3) | wire));

    private static byte[] VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
