using System.Text;
using System.Text.Json.Nodes;

namespace DurableKube.Api.Tests.Fuzz;

/// <summary>One generated request: what it is (for the failure message), the request as sent, and the codes it may get.</summary>
/// <param name="What">The mutation and where it was made.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, exactly as sent (not normalized).</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="Headers">Request headers, exactly as sent (CR and LF included).</param>
/// <param name="Body">The body, if any.</param>
/// <param name="ContentType">The body's media type as sent, if any.</param>
internal sealed record FuzzRequest(string What, string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? ContentType)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{What}: {Method} {Path}{Query} ({ContentType ?? "no content type"}, {Body?.Length ?? 0} bytes: {Preview})";

    private string Preview => Body is null ? string.Empty : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 160)).ReplaceLineEndings("\\n");
}

/// <summary>
/// Generates malformed and adversarial requests for a pod, a ReplicaSet and a Service, from a seed: wrong types at every
/// field, deep nesting, huge strings, invalid UTF-8, names with path traversal, header injection, unknown content types,
/// protobuf garbage, truncated bodies and bad query parameters. Each one must be refused with a 4xx Status.
/// </summary>
/// <remarks>
/// Every mutation is made so that a Kubernetes API server refuses it too: a wrong type swaps a scalar for a container
/// or an array for an object (never a scalar for another scalar, which quantities and int-or-string fields accept),
/// invalid UTF-8 goes into names and label values (never into free text, which Go's decoder would repair and accept).
/// </remarks>
internal sealed class RequestFuzzer(int seed, IReadOnlyDictionary<string, (string Collection, string Existing, JsonObject Valid)> targets)
{
    private static readonly string[] Mutations =
    [
        "wrong-type", "deep-json", "deep-yaml", "long-name", "long-label-value", "long-label-key", "big-annotations",
        "oversized-body", "invalid-utf8", "traversal-path", "traversal-name", "header-injection", "content-type",
        "protobuf-garbage", "truncated", "bad-query", "bad-patch",
    ];

    private static readonly string[] TraversalNames =
    [
        "..", "../secrets", "..%2f..%2fsecrets", "%2e%2e", "%2e%2e%2fsecrets", "a/../../secrets", "..\\..\\secrets", "%252e%252e",
        "./x", "x/..", "%00", "a%0d%0aX-Injected:%201", "a\r\nX-Injected: 1",
    ];

    private static readonly string[] UnknownContentTypes =
    [
        "text/plain", "text/html", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "image/png", "application/octet-stream", "application/cbor", "text/yaml-not", "application/jsonx", "x/y",
    ];

    private readonly Random _random = new(seed);

    /// <summary>Gets the seed this fuzzer was made with.</summary>
    public int Seed => seed;

    /// <summary>Generates the next request.</summary>
    /// <returns>The request.</returns>
    public FuzzRequest Next()
    {
        var kind = Pick(targets.Keys.Order(StringComparer.Ordinal).ToArray());
        var (collection, existing, valid) = targets[kind];
        var obj = (JsonObject)valid.DeepClone();
        var name = "fuzz-" + _random.Next(100_000);
        obj["metadata"]!["name"] = name;
        var mutation = Pick(Mutations);
        var create = _random.Next(3) > 0;
        var method = create ? "POST" : "PUT";
        var path = create ? collection : collection + "/" + existing;
        if (!create)
        {
            obj["metadata"]!["name"] = existing;
        }

        var what = $"{mutation} of a {kind} ({method})";
        switch (mutation)
        {
            case "wrong-type":
            {
                var (at, _) = WrongType(obj);
                return Json(what + " at " + at, method, path, obj);
            }

            case "deep-json":
            {
                var depth = _random.Next(129, 60_000);
                var json = obj.ToJsonString();
                var cut = json.IndexOf("\"spec\":", StringComparison.Ordinal) + "\"spec\":".Length;
                var body = json[..cut] + new string('[', depth) + new string(']', depth) + "," + "\"x\":" + json[cut..];
                return Raw($"{what}, {depth} levels", method, path, Encoding.UTF8.GetBytes(body), "application/json");
            }

            case "deep-yaml":
            {
                var depth = _random.Next(129, 200_000);
                var nested = _random.Next(2) == 0
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth);
                var yaml = $"apiVersion: {obj["apiVersion"]}\nkind: {obj["kind"]}\nmetadata:\n  name: {obj["metadata"]!["name"]}\nspec: {nested}\n";
                return Raw($"{what}, {depth} levels", method, path, Encoding.UTF8.GetBytes(yaml), "application/yaml");
            }

            case "long-name":
                obj["metadata"]!["name"] = new string('a', _random.Next(254, 5000));
                return Json(what, "POST", collection, obj);

            case "long-label-value":
                obj["metadata"]!["labels"] = new JsonObject { ["app"] = new string('v', _random.Next(64, 100_000)) };
                return Json(what, method, path, obj);

            case "long-label-key":
                obj["metadata"]!["labels"] = new JsonObject { [new string('k', _random.Next(64, 10_000))] = "v" };
                return Json(what, method, path, obj);

            case "big-annotations":
            {
                var annotations = new JsonObject();
                var total = 0;
                var target = _random.Next(256 * 1024 + 1, 600 * 1024);
                for (var i = 0; total <= target; i++)
                {
                    var value = new string('x', _random.Next(1, 64 * 1024));
                    annotations["a" + i] = value;
                    total += value.Length + 2 + i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
                }

                obj["metadata"]!["annotations"] = annotations;
                return Json($"{what}, {total} bytes", method, path, obj);
            }

            case "oversized-body":
            {
                var json = obj.ToJsonString();
                var body = "{\"metadata\":{\"annotations\":{\"a\":\"" + new string('x', 3 * 1024 * 1024 + _random.Next(1, 64 * 1024)) + "\"}}," + json[1..];
                return Raw(what, method, path, Encoding.UTF8.GetBytes(body), "application/json");
            }

            case "invalid-utf8":
            {
                var bad = Pick(new[] { new byte[] { 0xFF }, [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82] });
                var marker = "UTF8MARK";
                if (_random.Next(2) == 0)
                {
                    obj["metadata"]!["name"] = name + marker;
                }
                else
                {
                    obj["metadata"]!["labels"] = new JsonObject { ["app"] = "v" + marker };
                }

                var yaml = _random.Next(2) == 0;
                var text = yaml ? ToYaml(obj) : obj.ToJsonString();
                var bytes = Encoding.UTF8.GetBytes(text).ToList();
                var index = IndexOf(bytes, Encoding.UTF8.GetBytes(marker));
                bytes.RemoveRange(index, marker.Length);
                bytes.InsertRange(index, bad);
                return Raw(what + (yaml ? " (yaml)" : " (json)"), method, path, [.. bytes], yaml ? "application/yaml" : "application/json");
            }

            case "traversal-path":
            {
                var traversal = Pick(TraversalNames);
                var verb = Pick(new[] { "GET", "PUT", "DELETE", "PATCH", "POST" });
                // A list or a collection delete in a namespace that cannot exist is an empty list, as in Kubernetes (it
                // validates no namespace of a list): traversal in the namespace is sent only with a body.
                var at = _random.Next(verb is "GET" or "DELETE" ? 2 : 3) switch
                {
                    0 => collection + "/" + traversal,
                    1 => collection + "/" + existing + "/" + traversal,
                    _ => collection.Replace("/namespaces/default/", "/namespaces/" + traversal + "/", StringComparison.Ordinal),
                };
                return verb is "GET" or "DELETE"
                    ? new FuzzRequest($"traversal path {traversal} ({verb} of a {kind})", verb, at, string.Empty, [], null, null)
                    : Json($"traversal path {traversal} ({verb} of a {kind})", verb, at, obj, verb == "PATCH" ? "application/merge-patch+json" : "application/json");
            }

            case "traversal-name":
                obj["metadata"]!["name"] = Pick(TraversalNames);
                return Json(what + " " + obj["metadata"]!["name"], "POST", collection, obj);

            case "header-injection":
            {
                var injected = Pick(new[] { "\r\nX-Injected: 1", "\nX-Injected: 1", "\rX-Injected: 1", "\0", "\r\n\r\n{\"kind\":\"Pod\"}" });
                var header = Pick(new[] { "Accept", "Content-Type", "User-Agent", "Authorization", "X-Correlation-Id" });
                obj["metadata"]!["name"] = "bad-" + name;
                obj["metadata"]!["labels"] = new JsonObject { ["app"] = "x" + injected };
                var body = Encoding.UTF8.GetBytes(obj.ToJsonString());
                var headers = new List<KeyValuePair<string, string>> { new(header, (header == "Content-Type" ? "application/json" : "x") + injected) };
                return new FuzzRequest($"header injection in {header} ({method} of a {kind})", method, path, string.Empty, headers, body, header == "Content-Type" ? null : "application/json");
            }

            case "content-type":
                return Json(what, method, path, obj, Pick(UnknownContentTypes));

            case "protobuf-garbage":
            {
                var garbage = new byte[_random.Next(0, 4096)];
                _random.NextBytes(garbage);
                var body = _random.Next(2) == 0 ? [.. "k8s\0"u8.ToArray(), .. garbage] : garbage;
                return Raw($"{what}, {body.Length} bytes", method, path, body, "application/vnd.kubernetes.protobuf");
            }

            case "truncated":
            {
                var json = Encoding.UTF8.GetBytes(obj.ToJsonString());
                var length = _random.Next(0, json.Length - 1);
                return Raw($"{what} at {length} of {json.Length}", method, path, json[..length], "application/json");
            }

            case "bad-query":
            {
                var query = Pick(new[]
                {
                    "?fieldValidation=Sometimes", "?dryRun=Maybe", "?dryRun=All&dryRun=Other", "?fieldManager=" + new string('m', 200),
                    "?fieldManager=%0d%0a", "?fieldManager=a%09b", "?fieldValidation=" + new string('x', 100),
                });
                return Json(what + " " + query, method, path, obj) with { Query = query };
            }

            default:
            {
                var (type, patch) = Pick(new (string, string)[]
                {
                    ("application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"/spec\",\"value\":5}]"),
                    ("application/json-patch+json", "[{\"op\":\"move\",\"from\":\"/metadata\",\"path\":\"/metadata/x\"}]"),
                    ("application/json-patch+json", "[{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"not-it\"}]"),
                    ("application/json-patch+json", "{\"not\":\"a list\"}"),
                    ("application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/metadata/labels/" + new string('k', 300) + "\",\"value\":\"v\"}]"),
                    ("application/merge-patch+json", "{\"spec\":[1,2]}"),
                    ("application/merge-patch+json", "{\"metadata\":{\"name\":\"../other\"}}"),
                    ("application/merge-patch+json", "{\"metadata\":" + new string('[', 2000) + new string(']', 2000) + "}"),
                    ("application/strategic-merge-patch+json", "{\"spec\":\"x\"}"),
                    ("application/strategic-merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"" + new string('v', 70) + "\"}}}"),
                    ("application/apply-patch+yaml", "kind: [\n"),
                    ("application/apply-patch+yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: " + existing + "}\nspec: " + new string('[', 300) + new string(']', 300) + "\n"),
                    ("application/json-patch+json", "[" + string.Join(',', Enumerable.Repeat("{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"a\":\"" + new string('x', 60_000) + "\"}}", 1)) + ",{\"op\":\"add\",\"path\":\"/metadata/annotations/b\",\"value\":\"" + new string('y', 250_000) + "\"}]"),
                });
                return Raw($"bad patch ({type}) of a {kind}", "PATCH", collection + "/" + existing, Encoding.UTF8.GetBytes(patch), type) with
                {
                    Query = type == "application/apply-patch+yaml" ? "?fieldManager=fuzz" : string.Empty,
                };
            }
        }
    }

    private static FuzzRequest Json(string what, string method, string path, JsonObject obj, string contentType = "application/json") =>
        Raw(what, method, path, Encoding.UTF8.GetBytes(obj.ToJsonString()), contentType);

    private static FuzzRequest Raw(string what, string method, string path, byte[] body, string contentType) =>
        new(what, method, path, string.Empty, [], body, contentType);

    private static int IndexOf(List<byte> bytes, byte[] value)
    {
        for (var i = 0; i <= bytes.Count - value.Length; i++)
        {
            if (value.Select((b, j) => bytes[i + j] == b).All(x => x))
            {
                return i;
            }
        }

        throw new InvalidOperationException("marker not found");
    }

    /// <summary>A small YAML writer (flow style) enough for these objects.</summary>
    private static string ToYaml(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(", ", o.Select(p => Quote(p.Key) + ": " + ToYaml(p.Value))) + "}",
        JsonArray a => "[" + string.Join(", ", a.Select(ToYaml)) + "]",
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        _ => node.ToJsonString(),
    };

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Swaps one value for one of a structurally incompatible type: a scalar for an object or array, an array for an object or scalar, an object for an array or scalar.</summary>
    private (string At, JsonNode? Was) WrongType(JsonObject root)
    {
        var places = new List<(JsonNode Parent, string? Key, int Index, string At)>();
        Collect(root, "$", places);
        var (parent, key, index, at) = places[_random.Next(places.Count)];
        var current = key is not null ? parent[key] : parent[index];
        JsonNode replacement = current switch
        {
            JsonObject => _random.Next(2) == 0 ? new JsonArray(1, 2) : JsonValue.Create(_random.Next(2) == 0 ? "text" : "42")!,
            JsonArray => _random.Next(2) == 0 ? new JsonObject { ["x"] = 1 } : JsonValue.Create(7),
            _ => _random.Next(2) == 0 ? new JsonObject { ["x"] = 1 } : new JsonArray("a"),
        };
        if (key is not null)
        {
            parent[key] = replacement;
        }
        else
        {
            parent[index] = replacement;
        }

        return (at, current);
    }

    private static void Collect(JsonNode node, string at, List<(JsonNode, string?, int, string)> places)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    // A label's or annotation's value is a string in a map: swapping it is a wrong type too.
                    places.Add((o, key, -1, at + "." + key));
                    if (value is not null)
                    {
                        Collect(value, at + "." + key, places);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    places.Add((a, null, i, $"{at}[{i}]"));
                    if (a[i] is { } item)
                    {
                        Collect(item, $"{at}[{i}]", places);
                    }
                }

                break;
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
