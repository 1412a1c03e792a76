using System.Text.Json.Nodes;

namespace DurableKube.Infra.Tests;

/// <summary>
/// What a deployment of infra/main.bicep with given parameters would create, as <c>bicep snapshot</c> predicts it:
/// every resource of every module with its id, name and properties evaluated (names, scopes, loops, settings),
/// only run-time values (<c>reference(...)</c> of resources not yet deployed) left as expressions.
/// </summary>
public sealed class DeploymentSnapshot
{
    /// <summary>The subscription the snapshot deploys into.</summary>
    public const string SubscriptionId = "11111111-1111-1111-1111-111111111111";

    /// <summary>The tenant the snapshot deploys into.</summary>
    public const string TenantId = "22222222-2222-2222-2222-222222222222";

    private readonly JsonObject _root;

    /// <summary>Initializes a new instance of the <see cref="DeploymentSnapshot"/> class over a snapshot file's JSON.</summary>
    /// <param name="root">The snapshot.</param>
    public DeploymentSnapshot(JsonObject root) => _root = root;

    /// <summary>Gets the predicted resources.</summary>
    public IReadOnlyList<JsonObject> Resources =>
        _root["predictedResources"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [];

    /// <summary>Gets the predicted outputs.</summary>
    public JsonObject Outputs => _root["outputs"]?.AsObject() ?? [];

    /// <summary>Gets the diagnostics the snapshot reported.</summary>
    public IReadOnlyList<string> Diagnostics =>
        _root["diagnostics"]?.AsArray().Select(d => d!.ToJsonString()).ToList() ?? [];

    /// <summary>Gets the id of a resource group of the subscription.</summary>
    /// <param name="name">The group's name.</param>
    /// <returns>Its id.</returns>
    public static string ResourceGroupId(string name) => $"/subscriptions/{SubscriptionId}/resourceGroups/{name}";

    /// <summary>Loads a snapshot file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The snapshot.</returns>
    public static DeploymentSnapshot Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path} holds no JSON object."));

    /// <summary>Gets the resources of a type.</summary>
    /// <param name="type">The resource type.</param>
    /// <returns>The resources.</returns>
    public IReadOnlyList<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Gets the one resource of a type, failing if there is none or more than one.</summary>
    /// <param name="type">The resource type.</param>
    /// <returns>The resource.</returns>
    public JsonObject Single(string type)
    {
        var found = OfType(type);
        Assert.True(found.Count == 1, $"Expected one {type}, found {found.Count}.");
        return found[0];
    }

    /// <summary>Gets the function app's settings.</summary>
    public IReadOnlyDictionary<string, string?> AppSettings =>
        Single("Microsoft.Web/sites/config")["properties"]!.AsObject()
            .ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);

    /// <summary>Gets the run-time expression of a property of a resource the deployment creates, as the snapshot leaves it.</summary>
    /// <param name="resourceId">The resource's id.</param>
    /// <param name="apiVersion">The API version the template reads it with.</param>
    /// <param name="property">The property path.</param>
    /// <returns>The expression.</returns>
    public static string Reference(string resourceId, string apiVersion, string property) =>
        $"[reference('{resourceId}', '{apiVersion}').{property}]";
}
