using System.Text.Json.Nodes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;

namespace DurableKube.Api.OpenApi;

/// <summary>
/// The smallest OpenAPI v2 document (<c>/openapi/v2</c>) that lets kubectl 1.27 and 1.28 validate
/// on the server: per type, a <c>patch</c> operation tagged <c>x-kubernetes-group-version-kind</c>
/// taking <c>fieldValidation</c> in the query. Those kubectl versions read it only as protobuf
/// (gnostic's <c>openapi.v2.Document</c>), so it is served both ways.
/// </summary>
internal sealed class OpenApiV2Document
{
    private readonly KindRegistry _kinds;

    /// <summary>What kubectl asks for.</summary>
    public const string ProtobufMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>What the API server answers with ('@' is not a valid media type character, so Go clients need this form).</summary>
    public const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private readonly OpenApiSchemas _schemas = new(v3: false);
    private readonly Lazy<JsonObject> _json;

    /// <summary>Initializes a new instance of the <see cref="OpenApiV2Document"/> class.</summary>
    /// <param name="kinds">The served kinds.</param>
    public OpenApiV2Document(KindRegistry kinds)
    {
        _kinds = kinds;
        _json = new Lazy<JsonObject>(GenerateJson);
    }

    public byte[] Protobuf()
    {
        var document = new ProtobufWriter()
            .String(1, "2.0")
            .Message(2, info => info.String(1, "Kubernetes").String(2, "v1.33.0"))
            .Message(8, paths =>
            {
                foreach (var (path, type) in Paths())
                {
                    paths.Message(2, named => named
                        .String(1, path)
                        .Message(2, item => item.Message(8, operation => Operation(operation, type))));
                }
            });
        return document.ToArray();
    }

    /// <summary>The JSON document, generated once.</summary>
    /// <returns>The document (shared: do not change it).</returns>
    public JsonObject Json() => _json.Value;

    private JsonObject GenerateJson()
    {
        var paths = new JsonObject();
        foreach (var (path, type) in Paths())
        {
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = "patch" + type.Kind,
                    ["parameters"] = new JsonArray(new JsonObject { ["uniqueItems"] = true, ["type"] = "string", ["name"] = "fieldValidation", ["in"] = "query" }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version },
                },
            };
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.33.0" },
            ["paths"] = paths,
            ["definitions"] = Definitions(),
        };
    }

    private JsonObject Definitions()
    {
        var definitions = new JsonObject();
        foreach (var (name, schema) in _schemas.Closure(_kinds.All.SelectMany(k => new[] { k.Type.ObjectType, k.Type.ListType })))
        {
            definitions[name] = schema.DeepClone();
        }

        return definitions;
    }

    private IEnumerable<(string Path, ResourceType Type)> Paths()
    {
        foreach (var kind in _kinds.All)
        {
            var type = kind.Type;
            var prefix = type.Group.Length == 0 ? "/api/" + type.Version : $"/apis/{type.Group}/{type.Version}";
            yield return ((type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}") + "/{name}", type);
            if (kind.Serves(Subresource.Status.Name, "patch"))
            {
                yield return ((type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}") + "/{name}/status", type);
            }
        }
    }

    private static void Operation(ProtobufWriter operation, ResourceType type)
    {
        operation
            .String(5, "patch" + type.Kind)
            .Message(8, item => item.Message(1, parameter => parameter.Message(2, nonBody => nonBody.Message(3, query => query
                .String(2, "query")
                .String(4, "fieldValidation")
                .String(6, "string")
                .Bool(20, true)))))
            .Message(9, responses => responses.Message(1, code => code
                .String(1, "200")
                .Message(2, value => value.Message(1, response => response.String(1, "OK")))))
            .Message(13, extension => extension
                .String(1, "x-kubernetes-group-version-kind")
                .Message(2, any => any.String(2, $"group: \"{type.Group}\"\nkind: {type.Kind}\nversion: {type.Version}\n")));
    }
}
