using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Serialization.Protobuf;

namespace DurableKube.Api.Content.Protobuf;

/// <summary>
/// Decodes Kubernetes protobuf request bodies (<c>application/vnd.kubernetes.protobuf</c>: the magic
/// <c>k8s\0</c>, then a runtime.Unknown holding typeMeta and the raw object) into JSON, for every served kind:
/// one generic walk over the kind's message (<see cref="KindDescriptor.ProtobufMessageName"/>) in the field
/// table generated from k8s.io/api's generated.proto (<see cref="ProtoSchema"/>), beside the kind's model type,
/// which tells where Go embeds a struct inline (an <c>EphemeralContainer</c>'s common fields). kubectl's
/// imperative generators (<c>kubectl create deployment|job|cronjob|service|configmap|secret</c>, <c>kubectl run</c>)
/// send such bodies.
/// </summary>
internal static class ProtobufBodyDecoder
{
    private const int MaxDepth = 64;
    private const string Meta = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Members = new();

    /// <summary>Decodes a body.</summary>
    /// <param name="body">The body.</param>
    /// <param name="kinds">The served kinds.</param>
    /// <returns>
    /// The object as JSON; for a kind not served, only its <c>apiVersion</c> and <c>kind</c> (decoding then refuses it as
    /// it refuses such JSON); <see langword="null"/> when a served kind's message is not in the field table.
    /// </returns>
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

        JsonObject obj;
        if (kinds.FindByKind(apiVersion, kind) is not { } descriptor)
        {
            obj = [];
        }
        else if (ProtoSchema.Find(descriptor.ProtobufMessageName) is { } message)
        {
            obj = ReadMessage(raw, message, descriptor.Type.ObjectType, 0);
        }
        else
        {
            return null;
        }

        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    /// <summary>Tells whether a served kind's protobuf bodies can be decoded (its message is in the field table).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Whether they can.</returns>
    public static bool Decodes(KindDescriptor kind) => ProtoSchema.Find(kind.ProtobufMessageName) is not null;

    private static JsonObject ReadMessage(ReadOnlySpan<byte> data, ProtoMessage message, Type? model, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new BodyFormatException("protobuf: message nested too deeply");
        }

        var members = model is null ? null : MembersOf(model);
        var obj = new JsonObject();
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (!message.Fields.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }

            var memberType = members?.GetValueOrDefault(field.JsonName);
            switch (field.Label)
            {
                case ProtoLabel.Map:
                    ReadMapEntry(reader.ReadBytes(wire, field), field, Map(obj, field.JsonName), ElementType(memberType, 1), depth);
                    break;
                case ProtoLabel.Repeated when field.IsScalar && wire == 2 && field.Type is not ("string" or "bytes"):
                    // A packed list of numbers.
                    var packed = new ProtobufReader(reader.ReadBytes());
                    while (!packed.AtEnd)
                    {
                        List(obj, field.JsonName).Add(ReadScalar(ref packed, field, field.Type is "double" ? 1 : field.Type is "float" ? 5 : 0));
                    }

                    break;
                case ProtoLabel.Repeated:
                    List(obj, field.JsonName).Add(ReadValue(ref reader, wire, field, ElementType(memberType, 0), depth));
                    break;
                case ProtoLabel.Single when !field.IsScalar && members is not null && memberType is null && ProtoSchema.Find(field.Type) is { } embedded:
                    // A Go struct embedded inline (json:",inline"): its fields are the parent's in JSON.
                    foreach (var (name, value) in ReadMessage(reader.ReadBytes(wire, field), embedded, model, depth + 1).ToList())
                    {
                        obj[name] = value?.DeepClone();
                    }

                    break;
                default:
                    var single = ReadValue(ref reader, wire, field, memberType, depth);
                    if (single is null || (!field.Pointer && field.IsScalar && IsZero(single)))
                    {
                        // Go writes a plain field even when it is zero; JSON leaves it out (omitempty).
                        obj.Remove(field.JsonName);
                    }
                    else
                    {
                        obj[field.JsonName] = single;
                    }

                    break;
            }
        }

        return obj;
    }

    private static void ReadMapEntry(ReadOnlySpan<byte> data, ProtoFieldInfo field, JsonObject map, Type? valueType, int depth)
    {
        var value = new ProtoFieldInfo("value", 2, field.Type, ProtoLabel.Single, Pointer: true);
        var reader = new ProtobufReader(data);
        var key = string.Empty;
        JsonNode? entry = null;
        var seen = false;
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            switch (number)
            {
                case 1 when wire == 2:
                    key = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                case 2:
                    entry = ReadValue(ref reader, wire, value, valueType, depth);
                    seen = true;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        // A missing value is the type's zero value.
        map[key] = seen ? entry : field.Type switch
        {
            "string" or "bytes" => string.Empty,
            "bool" => false,
            _ when field.IsScalar => 0,
            _ => null,
        };
    }

    private static JsonNode? ReadValue(ref ProtobufReader reader, int wire, ProtoFieldInfo field, Type? model, int depth)
    {
        if (field.IsScalar)
        {
            return ReadScalar(ref reader, field, wire);
        }

        var bytes = reader.ReadBytes(wire, field);
        switch (field.Type)
        {
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
                return ReadFields(bytes).GetValueOrDefault(1) is { } quantity ? Encoding.UTF8.GetString(quantity) : string.Empty;
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
                return ReadIntOrString(bytes);
            case Meta + "Time":
            case Meta + "MicroTime":
                return ReadTime(bytes, micro: field.Type.EndsWith("MicroTime", StringComparison.Ordinal));
            case Meta + "Duration":
                return ReadDuration(bytes);
            case Meta + "FieldsV1":
            case "k8s.io.apimachinery.pkg.runtime.RawExtension":
                return ReadFields(bytes).GetValueOrDefault(1) is { Length: > 0 } json ? ParseJson(json, field) : null;
        }

        var message = ProtoSchema.Find(field.Type) ?? throw new BodyFormatException($"protobuf: field {field.JsonName} has unknown message type {field.Type}");
        return ReadMessage(bytes, message, model, depth + 1);
    }

    private static JsonValue ReadScalar(ref ProtobufReader reader, ProtoFieldInfo field, int wire)
    {
        switch (field.Type)
        {
            case "string" when wire == 2:
                return JsonValue.Create(Encoding.UTF8.GetString(reader.ReadBytes()));
            case "bytes" when wire == 2:
                return JsonValue.Create(Convert.ToBase64String(reader.ReadBytes()));
            case "bool" when wire == 0:
                return JsonValue.Create(reader.ReadVarint() != 0);
            case "int32" when wire == 0:
                return JsonValue.Create(unchecked((int)(long)reader.ReadVarint()));
            case "int64" when wire == 0:
                return JsonValue.Create(unchecked((long)reader.ReadVarint()));
            case "uint32" or "uint64" when wire == 0:
                return JsonValue.Create(reader.ReadVarint());
            case "sint32" or "sint64" when wire == 0:
                var zigzag = reader.ReadVarint();
                return JsonValue.Create((long)(zigzag >> 1) ^ -(long)(zigzag & 1));
            case "double" when wire == 1:
                return JsonValue.Create(BitConverter.Int64BitsToDouble(BitConverter.ToInt64(reader.ReadFixed(8))));
            case "float" when wire == 5:
                return JsonValue.Create(BitConverter.Int32BitsToSingle(BitConverter.ToInt32(reader.ReadFixed(4))));
            default:
                throw new BodyFormatException($"protobuf: field {field.JsonName} ({field.Number}, {field.Type}) has wire type {wire}");
        }
    }

    private static JsonValue ReadIntOrString(ReadOnlySpan<byte> data)
    {
        long type = 0, intVal = 0;
        var strVal = string.Empty;
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            switch (number)
            {
                case 1 when wire == 0:
                    type = (long)reader.ReadVarint();
                    break;
                case 2 when wire == 0:
                    intVal = unchecked((int)(long)reader.ReadVarint());
                    break;
                case 3 when wire == 2:
                    strVal = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return type == 0 ? JsonValue.Create(intVal) : JsonValue.Create(strVal);
    }

    private static JsonNode? ReadTime(ReadOnlySpan<byte> data, bool micro)
    {
        long seconds = 0, nanos = 0;
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            switch (number)
            {
                case 1 when wire == 0:
                    seconds = unchecked((long)reader.ReadVarint());
                    break;
                case 2 when wire == 0:
                    nanos = unchecked((int)(long)reader.ReadVarint());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (seconds == 0 && nanos == 0)
        {
            return null;
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return time.ToString(micro ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>A <c>metav1.Duration</c> (nanoseconds) as Go prints it: <c>1h2m3.5s</c>, <c>0s</c>.</summary>
    private static JsonNode ReadDuration(ReadOnlySpan<byte> data)
    {
        var nanos = ReadFields(data).ContainsKey(1) ? ReadVarintField(data, 1) : 0;
        if (nanos == 0)
        {
            return "0s";
        }

        var sign = nanos < 0 ? "-" : string.Empty;
        var total = TimeSpan.FromTicks(Math.Abs(nanos) / 100);
        var text = new StringBuilder(sign);
        if (total.TotalHours >= 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(long)total.TotalHours}h");
        }

        if (total.TotalMinutes >= 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"{total.Minutes}m");
        }

        var secondsPart = total.Seconds + ((double)(Math.Abs(nanos) % 1_000_000_000) / 1e9);
        text.Append(secondsPart.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }

    private static long ReadVarintField(ReadOnlySpan<byte> data, int field)
    {
        var reader = new ProtobufReader(data);
        long value = 0;
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number == field && wire == 0)
            {
                value = unchecked((long)reader.ReadVarint());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return value;
    }

    /// <summary>The length-delimited fields of a small message, by number (the last one wins).</summary>
    private static Dictionary<int, byte[]> ReadFields(ReadOnlySpan<byte> data)
    {
        var fields = new Dictionary<int, byte[]>();
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (wire == 2)
            {
                fields[number] = reader.ReadBytes().ToArray();
            }
            else
            {
                reader.Skip(wire);
                fields[number] = [];
            }
        }

        return fields;
    }

    private static JsonNode? ParseJson(byte[] json, ProtoFieldInfo field)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new BodyFormatException($"protobuf: field {field.JsonName} does not hold JSON: {e.Message}", e);
        }
    }

    private static bool IsZero(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>().Length == 0,
        JsonValueKind.False => true,
        JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) == 0,
        _ => false,
    };

    private static JsonArray List(JsonObject obj, string name) => obj[name] as JsonArray ?? (JsonArray)(obj[name] = new JsonArray());

    private static JsonObject Map(JsonObject obj, string name) => obj[name] as JsonObject ?? (JsonObject)(obj[name] = new JsonObject());

    private static ReadOnlySpan<byte> ReadBytes(this ref ProtobufReader reader, int wire, ProtoFieldInfo field) => wire == 2
        ? reader.ReadBytes()
        : throw new BodyFormatException($"protobuf: field {field.JsonName} ({field.Number}, {field.Type}) has wire type {wire}");

    /// <summary>The element type of a model list (<paramref name="argument"/> 0) or the value type of a map (1).</summary>
    private static Type? ElementType(Type? collection, int argument)
    {
        if (collection is null)
        {
            return null;
        }

        var generic = collection.IsGenericType ? collection : collection.GetInterfaces().FirstOrDefault(i => i.IsGenericType);
        var arguments = generic?.GetGenericArguments() ?? [];
        return arguments.Length switch
        {
            1 => arguments[0],
            2 => arguments[argument],
            _ => null,
        };
    }

    private static IReadOnlyDictionary<string, Type> MembersOf(Type model) => Members.GetOrAdd(model, static type =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .GroupBy(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.Ordinal));
}
