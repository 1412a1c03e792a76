using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableKube.Infra.Tests;

/// <summary>
/// A compiled ARM template (bicep build output) to assert on: its parameters, variables, outputs and
/// resources, the nested templates of its modules, and template expressions with their variables written in,
/// so that a test reads <c>'api'</c> where the JSON says <c>variables('serviceName')</c> (and a variable holding
/// an expression reads as that expression).
/// </summary>
public sealed partial class ArmTemplate
{
    private readonly JsonObject _root;

    /// <summary>Initializes a new instance of the <see cref="ArmTemplate"/> class over a template's JSON.</summary>
    public ArmTemplate(JsonObject root) => _root = root;

    /// <summary>Gets the declared parameters.</summary>
    public JsonObject Parameters => _root["parameters"]?.AsObject() ?? [];

    /// <summary>Gets the declared variables.</summary>
    public JsonObject Variables => _root["variables"]?.AsObject() ?? [];

    /// <summary>Gets the declared outputs.</summary>
    public JsonObject Outputs => _root["outputs"]?.AsObject() ?? [];

    /// <summary>Gets the resources (an array, or the symbolic-name object of language version 2.0).</summary>
    public IReadOnlyList<JsonObject> Resources => _root["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()).ToList(),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()).ToList(),
        _ => [],
    };

    /// <summary>Gets the template and every nested module template under it.</summary>
    public IEnumerable<ArmTemplate> SelfAndModules =>
        new[] { this }.Concat(ResourcesOfType("Microsoft.Resources/deployments")
            .Select(d => new ArmTemplate(d["properties"]!["template"]!.AsObject()))
            .SelectMany(t => t.SelfAndModules));

    /// <summary>Loads a template from a file.</summary>
    public static ArmTemplate Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException($"{path} holds no JSON object."));

    /// <summary>Gets the resources of a type.</summary>
    public IReadOnlyList<JsonObject> ResourcesOfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Gets the one resource of a type, failing if there is none or more than one.</summary>
    public JsonObject Single(string type)
    {
        var found = ResourcesOfType(type);
        Assert.True(found.Count == 1, $"Expected one {type}, found {found.Count}.");
        return found[0];
    }

    /// <summary>Gets the deployment resource of the module with this deployment name.</summary>
    public JsonObject ModuleDeployment(string name)
    {
        var found = ResourcesOfType("Microsoft.Resources/deployments").Where(d => (string?)d["name"] == name).ToList();
        Assert.True(found.Count == 1, $"Expected one module deployment named {name}, found {found.Count}.");
        return found[0];
    }

    /// <summary>Gets the nested template of the module with this deployment name.</summary>
    public ArmTemplate Module(string name) => new(ModuleDeployment(name)["properties"]!["template"]!.AsObject());

    /// <summary>Gets the value (as JSON text, variables written in) the template passes to a module parameter.</summary>
    public string ModuleArgument(string module, string parameter)
    {
        var value = ModuleDeployment(module)["properties"]?["parameters"]?[parameter]?["value"];
        Assert.True(value is not null, $"Module {module} is given no value for {parameter}.");
        return Resolve(value);
    }

    /// <summary>Gets a node's text with the template's variables written in; strings without JSON quotes.</summary>
    public string Resolve(JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            // Substitute until nothing changes: a variable may alias another (abbrs -> $fxv#0).
            for (var previous = ""; previous != text;)
            {
                previous = text;
                text = VariableReference().Replace(text, WriteIn);
            }

            return text;
        }

        return node?.ToJsonString() ?? "null";
    }

    /// <summary>
    /// Gets a node as a literal where it is one after writing variables in (<c>['api']</c> becomes <c>api</c>),
    /// else as <see cref="Resolve(JsonNode?)"/> gives it.
    /// </summary>
    public string Literal(JsonNode? node)
    {
        var resolved = Resolve(node);
        var match = QuotedLiteral().Match(resolved);
        return match.Success ? match.Groups["text"].Value : resolved;
    }

    private string WriteIn(Match match)
    {
        var variable = Variables[match.Groups["name"].Value];
        if (variable is JsonValue alias && alias.TryGetValue<string>(out var aliased)
            && AliasExpression().Match(aliased) is { Success: true } aliasMatch)
        {
            variable = Variables[aliasMatch.Groups["name"].Value];
        }

        var member = match.Groups["member"];
        var resolved = member.Success ? variable?[member.Value] : variable;
        if (resolved is not JsonValue plain || !plain.TryGetValue<string>(out var text))
        {
            return match.Value; // An object, an array or a number: left as the reference.
        }

        // An expression variable is written in as its expression, a plain one as a string literal.
        var written = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : $"'{text}'";
        return written;
    }

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)(?:\.(?<member>\w+))?")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\['(?<text>[^']*)'\]$")]
    private static partial Regex QuotedLiteral();

    [GeneratedRegex(@"^\[variables\('(?<name>[^']+)'\)\]$")]
    private static partial Regex AliasExpression();
}
