using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DurableKube.Infra.Tests;

/// <summary>azure.yaml, main.parameters.json and the outputs fit together the way azd uses them.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class AzdProjectTests(InfraFixture infra)
{
    private static readonly string[] OutputsAzdReads =
    [
        "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME",
        "AZURE_STORAGE_ACCOUNT_NAME", "SERVICE_API_NAME", "SERVICE_API_URI", "APPLICATIONINSIGHTS_CONNECTION_STRING",
    ];

    /// <summary>The unique suffix of every name, as the compiled template computes it.</summary>
    internal const string Token = "toLower(uniqueString(subscription().id, parameters('environmentName'), parameters('location')))";

    internal static YamlMappingNode AzureYaml()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(InfraFixture.Root, "azure.yaml")))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    internal static YamlMappingNode Services() => (YamlMappingNode)AzureYaml()["services"];

    [Fact]
    public void Azure_yaml_names_the_project_and_its_one_function_service()
    {
        var yaml = AzureYaml();
        var services = Services();

        Assert.Equal("durablekube", ((YamlScalarNode)yaml["name"]).Value);
        var api = Assert.Single(services.Children);
        Assert.Equal("api", ((YamlScalarNode)api.Key).Value);
        var service = (YamlMappingNode)api.Value;
        Assert.Equal("dotnet", ((YamlScalarNode)service["language"]).Value);
        Assert.Equal("function", ((YamlScalarNode)service["host"]).Value);
    }

    [Fact]
    public void Each_service_project_in_azure_yaml_is_a_Functions_project_that_exists()
    {
        foreach (var (key, value) in Services().Children)
        {
            var project = ((YamlScalarNode)((YamlMappingNode)value)["project"]).Value!;
            var directory = Path.GetFullPath(Path.Combine(InfraFixture.Root, project));

            Assert.True(Directory.Exists(directory), $"Service {key} names project {project}, but {directory} does not exist.");
            var csproj = Assert.Single(Directory.GetFiles(directory, "*.csproj"));
            Assert.Contains("<AzureFunctionsVersion>", File.ReadAllText(csproj), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_parameters_file_sets_only_declared_parameters_and_every_required_one()
    {
        var template = await infra.CompiledAsync();
        var file = ParametersFile();

        var declared = template.Parameters.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var set = file.Select(p => p.Key).ToList();
        var required = template.Parameters.Where(p => p.Value?["defaultValue"] is null).Select(p => p.Key);

        Assert.All(set, name => Assert.True(declared.Contains(name), $"main.parameters.json sets {name}, which main.bicep does not declare."));
        Assert.All(required, name => Assert.True(set.Contains(name), $"main.bicep requires {name}, which main.parameters.json does not set."));
    }

    [Theory]
    [InlineData("environmentName", "${AZURE_ENV_NAME}")]
    [InlineData("location", "${AZURE_LOCATION}")]
    [InlineData("principalId", "${AZURE_PRINCIPAL_ID}")]
    [InlineData("aciNodeCount", "${ACI_NODE_COUNT=1}")]
    [InlineData("aciNodeLocation", "${ACI_NODE_LOCATION}")]
    [InlineData("aciNodeCpu", "${ACI_NODE_CPU=10}")]
    [InlineData("aciNodeMemoryGi", "${ACI_NODE_MEMORY_GI=40}")]
    [InlineData("aciNodePods", "${ACI_NODE_PODS=50}")]
    public void The_parameters_file_takes_azd_environment_values(string parameter, string value)
    {
        Assert.Equal(value, (string?)ParametersFile()[parameter]?["value"]);
    }

    [Fact]
    public async Task Defaults_in_the_parameters_file_are_allowed_values()
    {
        var template = await infra.CompiledAsync();

        foreach (var (name, node) in ParametersFile())
        {
            var match = EnvironmentReference().Match((string?)node?["value"] ?? "");
            var allowed = template.Parameters[name]?["allowedValues"]?.AsArray().Select(v => v?.ToString()).ToList();
            if (match.Groups["default"].Success && allowed is not null)
            {
                Assert.Contains(match.Groups["default"].Value, allowed);
            }

            // azd hands an int parameter the variable's text, converted: the default must be an int in range.
            var declared = template.Parameters[name]!;
            if (match.Groups["default"].Success && (string?)declared["type"] == "int")
            {
                Assert.True(int.TryParse(match.Groups["default"].Value, out var value), $"{name}'s default {match.Groups["default"].Value} is not an int.");
                Assert.InRange(value, (int?)declared["minValue"] ?? int.MinValue, (int?)declared["maxValue"] ?? int.MaxValue);
                Assert.Equal((int?)declared["defaultValue"], value);
            }
        }
    }

    [Fact]
    public async Task Outputs_are_the_ones_azd_and_the_templates_use()
    {
        var template = await infra.CompiledAsync();

        Assert.All(OutputsAzdReads, name => Assert.True(template.Outputs.ContainsKey(name), $"No output {name}."));
    }

    [Fact]
    public async Task No_output_or_expression_carries_a_secret()
    {
        var template = await infra.CompiledAsync();

        foreach (var (name, output) in template.SelfAndModules.SelectMany(t => t.Outputs))
        {
            var type = (string?)output?["type"];
            Assert.False(type is not null && type.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"Output {name} is {type}.");
            Assert.DoesNotMatch(SecretName(), name);
        }

        // list*() functions (listKeys, listConnectionStrings, ...) read secrets; nothing here needs one.
        var expressions = Strings(JsonNode.Parse(File.ReadAllText(infra.CompiledPath))).Where(s => s.StartsWith('['));
        Assert.All(expressions, e => Assert.DoesNotMatch(ListFunction(), e));
    }

    [Fact]
    public async Task Names_come_from_the_environment_name_the_location_and_the_subscription()
    {
        var template = await infra.CompiledAsync();

        Assert.Equal($"[{Token}]", (string?)template.Variables["resourceToken"]);
        var group = template.ResourcesOfType("Microsoft.Resources/resourceGroups").First(g => template.Resolve(g["name"]) == "[format('{0}{1}', 'rg-', parameters('environmentName'))]");
        Assert.Equal($"[format('{{0}}{{1}}', 'rg-', parameters('environmentName'))]", template.Resolve(group["name"]));
        Assert.Equal("[variables('tags')]", (string?)group["tags"]);
        Assert.Equal("[parameters('environmentName')]", (string?)template.Variables["tags"]?["azd-env-name"]);

        Assert.Equal($"[format('{{0}}{{1}}-{{2}}', 'id-', 'api', {Token})]", template.ModuleArgument("identity", "name"));
        Assert.Equal($"[format('{{0}}{{1}}', 'st', {Token})]", template.ModuleArgument("storage", "name"));
        Assert.Equal($"[format('{{0}}{{1}}', 'log-', {Token})]", template.ModuleArgument("monitoring", "logAnalyticsName"));
        Assert.Equal($"[format('{{0}}{{1}}', 'appi-', {Token})]", template.ModuleArgument("monitoring", "applicationInsightsName"));
        Assert.Equal($"[format('{{0}}{{1}}', 'plan-', {Token})]", template.ModuleArgument("api", "planName"));
        Assert.Equal($"[format('{{0}}{{1}}-{{2}}', 'func-', 'api', {Token})]", template.ModuleArgument("api", "name"));
    }

    [Fact]
    public async Task Every_resource_with_a_location_is_tagged_with_the_environment()
    {
        var template = await infra.CompiledAsync();

        foreach (var module in new[] { "identity", "monitoring", "storage", "api" })
        {
            Assert.Equal("[variables('tags')]", template.ModuleArgument(module, "tags"));
            var located = template.Module(module).Resources.Where(r => r["location"] is not null).ToList();
            Assert.NotEmpty(located);
            Assert.All(located, r => Assert.True(r["tags"] is not null, $"{r["type"]} in module {module} has no tags."));
        }
    }

    private static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(InfraFixture.Root, "infra", "main.parameters.json")))!["parameters"]!.AsObject();

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    // azd substitutes ${NAME} and ${NAME=default} from the environment.
    [GeneratedRegex(@"^\$\{(?<name>\w+)(=(?<default>[^}]*))?\}$")]
    private static partial Regex EnvironmentReference();

    [GeneratedRegex("KEY|SECRET|PASSWORD|SAS", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\blist[A-Za-z]*\(")]
    private static partial Regex ListFunction();
}
