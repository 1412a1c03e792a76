using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Serialization.Protobuf;

namespace DurableKube.Api.Content.Protobuf;

/// <summary>
/// Decodes Kubernetes protobuf request bodies (<c>application/vnd.kubernetes.protobuf</c>: the magic
/// <c>k8s\0</c>, then a runtime.Unknown holding typeMeta and the raw object) into JSON, for the types
/// whose message layout (k8s.io/api generated.proto field numbers) their <see cref="KindDescriptor.Protobuf"/>
/// gives. kubectl's imperative generators send such bodies.
/// </summary>
internal static class ProtobufBodyDecoder
{
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    /// <summary>Decodes a body; <see langword="null"/> when its kind has no protobuf layout here.</summary>
    public static JsonObject? Decode(ReadOnlySpan<byte> body, KindRegistry kinds)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw new BodyFormatException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        var reader = new ProtobufReader(body[Magic.Length..]);
        string apiVersion = string.Empty, kind = string.Empty;
        var raw = ReadOnlySpan<byte>.Empty;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                var typeMeta = new ProtobufReader(reader.ReadBytes());
                while (!typeMeta.AtEnd)
                {
                    var (f, w) = typeMeta.ReadTag();
                    switch (f)
                    {
                        case 1 when w == 2:
                            apiVersion = Encoding.UTF8.GetString(typeMeta.ReadBytes());
                            break;
                        case 2 when w == 2:
                            kind = Encoding.UTF8.GetString(typeMeta.ReadBytes());
                            break;
                        default:
                            typeMeta.Skip(w);
                            break;
                    }
                }
            }
            else if (field == 2 && wire == 2)
            {
                raw = reader.ReadBytes();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (kinds.FindByKind(apiVersion, kind)?.Protobuf is not { } schema)
        {
            return null;
        }

        var obj = ReadMessage(raw, schema, 0);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject ReadMessage(ReadOnlySpan<byte> data, IReadOnlyDictionary<int, ProtoField> schema, int depth)
    {
        if (depth > 32)
        {
            throw new BodyFormatException("protobuf: message nested too deeply");
        }

        var obj = new JsonObject();
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (!schema.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }

            switch (field.Kind)
            {
                case ProtoKind.String when wire == 2:
                    // Go writes empty strings and zeros too; JSON leaves them out (omitempty).
                    var text = Encoding.UTF8.GetString(reader.ReadBytes());
                    SetUnlessEmpty(obj, field.Name, text.Length == 0 ? null : text);
                    break;
                case ProtoKind.Int64 when wire == 0:
                    var integer = (long)reader.ReadVarint();
                    SetUnlessEmpty(obj, field.Name, integer == 0 && !field.Optional ? null : integer);
                    break;
                case ProtoKind.Bool when wire == 0:
                    var flag = reader.ReadVarint() != 0;
                    SetUnlessEmpty(obj, field.Name, flag || field.Optional ? flag : null);
                    break;
                case ProtoKind.Message when wire == 2:
                    obj[field.Name] = ReadMessage(reader.ReadBytes(), field.Message!, depth + 1);
                    break;
                case ProtoKind.RepeatedString when wire == 2:
                    Array(obj, field.Name).Add(Encoding.UTF8.GetString(reader.ReadBytes()));
                    break;
                case ProtoKind.RepeatedMessage when wire == 2:
                    Array(obj, field.Name).Add(ReadMessage(reader.ReadBytes(), field.Message!, depth + 1));
                    break;
                case ProtoKind.StringMap when wire == 2:
                    var entry = ReadMessage(reader.ReadBytes(), ProtoMessages.MapEntry, depth + 1);
                    var map = obj[field.Name] as JsonObject ?? (JsonObject)(obj[field.Name] = new JsonObject());
                    map[entry["key"]?.GetValue<string>() ?? string.Empty] = entry["value"]?.GetValue<string>() ?? string.Empty;
                    break;
                case ProtoKind.BytesMap when wire == 2:
                    var (bytesKey, bytesValue) = ReadBytesEntry(reader.ReadBytes());
                    var bytesMap = obj[field.Name] as JsonObject ?? (JsonObject)(obj[field.Name] = new JsonObject());
                    bytesMap[bytesKey] = Convert.ToBase64String(bytesValue);
                    break;
                case ProtoKind.Time when wire == 2:
                    var time = ReadMessage(reader.ReadBytes(), ProtoMessages.Timestamp, depth + 1);
                    var seconds = time["seconds"]?.GetValue<long>() ?? 0;
                    SetUnlessEmpty(obj, field.Name, seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new BodyFormatException($"protobuf: field {number} ({field.Name}) has wire type {wire}");
            }
        }

        return obj;
    }

    /// <summary>Reads one entry of a <c>map&lt;string, bytes&gt;</c>: key (1) and value (2), the value kept as bytes.</summary>
    private static (string Key, byte[] Value) ReadBytesEntry(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        string key = string.Empty;
        byte[] value = [];
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            switch (number)
            {
                case 1 when wire == 2:
                    key = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                case 2 when wire == 2:
                    value = reader.ReadBytes().ToArray();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return (key, value);
    }

    private static void SetUnlessEmpty(JsonObject obj, string name, JsonNode? value)
    {
        if (value is null)
        {
            obj.Remove(name);
        }
        else
        {
            obj[name] = value;
        }
    }

    private static JsonArray Array(JsonObject obj, string name) => obj[name] as JsonArray ?? (JsonArray)(obj[name] = new JsonArray());
}
