using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;

namespace DurableKube.Api.OpenApi;

/// <summary>
/// The OpenAPI v3 documents, one per group-version (<c>/openapi/v3/apis/apps/v1</c>) and their index: each type's
/// paths, with operations tagged <c>x-kubernetes-group-version-kind</c> that take <c>fieldValidation</c> in the query
/// (so kubectl leaves validation to the server), and <c>components.schemas</c> with the schemas of the group-version's
/// kinds and everything they reach (<see cref="OpenApiSchemas"/>), which <c>kubectl explain</c> reads. Each document is
/// generated once; the index gives its hash, which kubectl puts in the URL it caches by.
/// </summary>
/// <param name="kinds">The served kinds.</param>
internal sealed class OpenApiDocuments(KindRegistry kinds)
{
    private readonly OpenApiSchemas _schemas = new(v3: true);
    private readonly ConcurrentDictionary<(string Group, string Version), Lazy<(JsonObject Document, string Hash)>> _documents = new();

    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions())
        {
            var key = PathKey(group, version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={HashOf(group, version)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of a group-version, generated once.</summary>
    /// <param name="group">The group.</param>
    /// <param name="version">The version.</param>
    /// <returns>The document (shared: do not change it).</returns>
    public JsonObject Document(string group, string version) => Cached(group, version).Document;

    /// <summary>The hash of a group-version's document, as the index gives it.</summary>
    /// <param name="group">The group.</param>
    /// <param name="version">The version.</param>
    /// <returns>The hash (upper-case hex of SHA-512).</returns>
    public string HashOf(string group, string version) => Cached(group, version).Hash;

    private (JsonObject Document, string Hash) Cached(string group, string version) =>
        _documents.GetOrAdd((group, version), key => new Lazy<(JsonObject, string)>(() =>
        {
            var document = Generate(key.Group, key.Version);
            return (document, Hash(document));
        })).Value;

    private JsonObject Generate(string group, string version)
    {
        var paths = new JsonObject();
        foreach (var kind in kinds.KindsOf(group, version))
        {
            var type = kind.Type;
            var prefix = group.Length == 0 ? "/api/" + version : $"/apis/{group}/{version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
            paths[collection] = new JsonObject
            {
                ["post"] = Operation("create", type, collection),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["put"] = Operation("replace", type, collection + "/{name}"),
                ["patch"] = Operation("patch", type, collection + "/{name}"),
            };
            if (kind.Serves(Subresource.Status.Name, "patch"))
            {
                paths[collection + "/{name}/status"] = new JsonObject
                {
                    ["put"] = Operation("replaceStatus", type, collection + "/{name}/status"),
                    ["patch"] = Operation("patchStatus", type, collection + "/{name}/status"),
                };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.33.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = Schemas(kinds.KindsOf(group, version)) },
        };
    }

    public static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));

    private JsonObject Schemas(IEnumerable<KindDescriptor> served)
    {
        var schemas = new JsonObject();
        foreach (var (name, schema) in _schemas.Closure(served.SelectMany(k => new[] { k.Type.ObjectType, k.Type.ListType })))
        {
            schemas[name] = schema.DeepClone();
        }

        return schemas;
    }

    private IEnumerable<(string Group, string Version)> GroupVersions() =>
        kinds.All.Select(k => (k.Type.Group, k.Type.Version)).Distinct();

    private static string PathKey(string group, string version) => group.Length == 0 ? "api/" + version : $"apis/{group}/{version}";

    private static JsonObject Operation(string verb, ResourceType type, string path)
    {
        var parameters = new JsonArray();
        foreach (var name in path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var name in (string[])["dryRun", "fieldManager", "fieldValidation"])
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
        }

        var scope = type.Namespaced ? "Namespaced" : string.Empty;
        var groupPart = type.Group.Length == 0 ? "Core" : string.Concat(type.Group.Split('.')[0][..1].ToUpperInvariant(), type.Group.Split('.')[0][1..]);
        return new JsonObject
        {
            ["operationId"] = $"{verb}{groupPart}{Capitalize(type.Version)}{scope}{type.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = verb.StartsWith("patch", StringComparison.Ordinal) ? "patch" : verb == "create" ? "post" : "put",
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
        };
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
