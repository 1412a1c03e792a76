using System.Text;

namespace DurableKube.Api.OpenApi;

/// <summary>The few protobuf wire-format writes the OpenAPI v2 document needs: strings, booleans and nested messages.</summary>
internal sealed class ProtobufWriter
{
    private readonly List<byte> _buffer = [];

    public ProtobufWriter String(int field, string value)
    {
        if (value.Length > 0)
        {
            Bytes(field, Encoding.UTF8.GetBytes(value));
        }

        return this;
    }

    public ProtobufWriter Bool(int field, bool value)
    {
        if (value)
        {
            Varint((ulong)field << 3);
            Varint(1);
        }

        return this;
    }

    public ProtobufWriter Message(int field, Action<ProtobufWriter> write)
    {
        var nested = new ProtobufWriter();
        write(nested);
        return Bytes(field, nested.ToArray());
    }

    public byte[] ToArray() => _buffer.ToArray();

    private ProtobufWriter Bytes(int field, byte[] value)
    {
        Varint(((ulong)field << 3) | 2);
        Varint((ulong)value.Length);
        _buffer.AddRange(value);
        return this;
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.Add((byte)value);
    }
}
