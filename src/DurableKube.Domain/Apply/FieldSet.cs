using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableKube.Domain.Apply;

/// <summary>
/// A set of field paths, as structured-merge-diff's <c>fieldpath.Set</c>: each path is a list of path elements in the
/// API server's FieldsV1 spelling (<c>f:spec</c> a field, <c>k:{"name":"x"}</c> an element of a list keyed by its
/// merge keys, <c>v:"a"</c> an element of a set list, <c>i:0</c> an element by index).
/// </summary>
public sealed class FieldSet
{
    private const char Separator = '\n';

    private readonly HashSet<string> _paths;

    /// <summary>Initializes a new instance of the <see cref="FieldSet"/> class, empty.</summary>
    public FieldSet() => _paths = new HashSet<string>(StringComparer.Ordinal);

    private FieldSet(IEnumerable<string> paths) => _paths = new HashSet<string>(paths, StringComparer.Ordinal);

    /// <summary>Gets the number of paths.</summary>
    public int Count => _paths.Count;

    /// <summary>Gets the paths, each a list of path elements, in a stable order.</summary>
    public IEnumerable<IReadOnlyList<string>> Paths => _paths.Order(StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)p.Split(Separator));

    /// <summary>Adds a path.</summary>
    /// <param name="path">The path's elements.</param>
    public void Add(IEnumerable<string> path) => _paths.Add(string.Join(Separator, path));

    /// <summary>Tells whether the set holds a path.</summary>
    /// <param name="path">The path's elements.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Contains(IEnumerable<string> path) => _paths.Contains(string.Join(Separator, path));

    /// <summary>The paths in this set or the other.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>A new set.</returns>
    public FieldSet Union(FieldSet other) => new(_paths.Concat(other._paths));

    /// <summary>The paths in this set and not in the other.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>A new set.</returns>
    public FieldSet Except(FieldSet other) => new(_paths.Where(p => !other._paths.Contains(p)));

    /// <summary>The paths in both sets.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>A new set.</returns>
    public FieldSet Intersect(FieldSet other) => new(_paths.Where(other._paths.Contains));

    /// <summary>
    /// Encodes the set as FieldsV1 JSON: a tree of path elements whose leaves are <c>{}</c>; a path that is both a
    /// member and the parent of members carries <c>".": {}</c>.
    /// </summary>
    /// <returns>The FieldsV1 object.</returns>
    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in Paths)
        {
            var node = root;
            foreach (var element in path)
            {
                if (node[element] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[element] = child;
                }

                node = child;
            }

            node["."] = new JsonObject();
        }

        return Collapse(root);
    }

    /// <summary>Decodes FieldsV1 JSON.</summary>
    /// <param name="fieldsV1">The FieldsV1 object; <see langword="null"/> for the empty set.</param>
    /// <returns>The set.</returns>
    public static FieldSet FromFieldsV1(JsonNode? fieldsV1)
    {
        var set = new FieldSet();
        if (fieldsV1 is JsonObject root)
        {
            Walk(root, []);
        }

        return set;

        void Walk(JsonObject node, List<string> prefix)
        {
            foreach (var (name, value) in node)
            {
                if (name == ".")
                {
                    set.Add(prefix);
                    continue;
                }

                prefix.Add(name);
                if (value is JsonObject child && child.Count > 0)
                {
                    Walk(child, prefix);
                }
                else
                {
                    set.Add(prefix);
                }

                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }

    /// <summary>
    /// Renders a path as structured-merge-diff prints it in conflict messages: <c>.spec.replicas</c>,
    /// <c>.spec.containers[name="web"].image</c>, <c>.metadata.finalizers[="x"]</c>, <c>.spec.args[0]</c>.
    /// </summary>
    /// <param name="path">The path's elements.</param>
    /// <returns>The text.</returns>
    public static string Render(IEnumerable<string> path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var element in path)
        {
            var body = element.Length > 2 ? element[2..] : string.Empty;
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'i':
                    text.Append('[').Append(body).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(body).Append(']');
                    break;
                case 'k':
                    var keys = JsonNode.Parse(body)!.AsObject().Select(p => p.Key + "=" + p.Value!.ToJsonString(CompactJson));
                    text.Append('[').Append(string.Join(',', keys)).Append(']');
                    break;
                default:
                    text.Append(element);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>Gets the serializer options of path element values: compact, with no escaping of HTML characters, as Go's encoder for keys.</summary>
    internal static JsonSerializerOptions CompactJson { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Orders a node as the API server writes it (<c>"."</c> first, then the elements sorted) and writes a node that
    /// is only a member (no children) as <c>{}</c>, not <c>{".": {}}</c>.
    /// </summary>
    private static JsonObject Collapse(JsonObject node)
    {
        var result = new JsonObject();
        var children = node.Where(p => p.Key != ".").OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        if (node.ContainsKey(".") && children.Count > 0)
        {
            result["."] = new JsonObject();
        }

        foreach (var (name, value) in children)
        {
            result[name] = Collapse((JsonObject)value!);
        }

        return result;
    }
}
