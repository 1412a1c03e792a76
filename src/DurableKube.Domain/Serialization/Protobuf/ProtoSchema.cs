using System.Collections.Frozen;
using System.Globalization;
using DurableKube.Domain.Resources;

namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>
/// The Kubernetes protobuf messages reachable from the served kinds, read once from the generated
/// <see cref="ProtoTable"/> (scripts/protobuf-table.py writes it from k8s.io/api's generated.proto files).
/// </summary>
public static class ProtoSchema
{
    private static readonly FrozenDictionary<string, ProtoMessage> Table = Parse(ProtoTable.Messages);

    /// <summary>Gets every known message, by full name.</summary>
    public static IReadOnlyDictionary<string, ProtoMessage> Messages => Table;

    /// <summary>Gets the k8s.io/api tag the table was generated from.</summary>
    public static string Source => ProtoTable.Source;

    /// <summary>Finds a message by its full name.</summary>
    /// <param name="name">E.g. <c>k8s.io.api.core.v1.Pod</c>.</param>
    /// <returns>The message, or <see langword="null"/> when it is not in the table.</returns>
    public static ProtoMessage? Find(string name) => Table.GetValueOrDefault(name);

    /// <summary>The message Kubernetes names a kind by: <c>k8s.io.api.{core|first label of the group}.{version}.{Kind}</c>.</summary>
    /// <param name="type">The kind.</param>
    /// <returns>E.g. <c>k8s.io.api.discovery.v1.EndpointSlice</c>.</returns>
    public static string DefaultMessageName(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var package = type.Group.Length == 0 ? "core" : type.Group.Split('.')[0];
        return $"k8s.io.api.{package}.{type.Version}.{type.Kind}";
    }

    /// <summary>Parses the table's lines (<c>message|jsonName=number:type[]*!|...</c>).</summary>
    /// <param name="lines">The lines.</param>
    /// <returns>The messages by full name.</returns>
    internal static FrozenDictionary<string, ProtoMessage> Parse(IEnumerable<string> lines)
    {
        var messages = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var parts = line.Split('|');
            var fields = new Dictionary<int, ProtoFieldInfo>();
            foreach (var part in parts.Skip(1))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var colon = part.IndexOf(':', equals);
                var name = part[..equals];
                var number = int.Parse(part[(equals + 1)..colon], CultureInfo.InvariantCulture);
                var type = part[(colon + 1)..];
                var required = type.EndsWith('!');
                type = type.TrimEnd('!');
                var pointer = type.EndsWith('*');
                type = type.TrimEnd('*');
                var label = ProtoLabel.Single;
                if (type.EndsWith("[]", StringComparison.Ordinal))
                {
                    label = ProtoLabel.Repeated;
                    type = type[..^2];
                }
                else if (type.EndsWith("{}", StringComparison.Ordinal))
                {
                    label = ProtoLabel.Map;
                    type = type[..^2];
                }

                fields[number] = new ProtoFieldInfo(name, number, type, label, pointer) { Required = required };
            }

            messages[parts[0]] = new ProtoMessage(parts[0], fields.ToFrozenDictionary());
        }

        return messages.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
