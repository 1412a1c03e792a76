using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace DurableKube.Infra.Tests;

/// <summary>The Flex Consumption plan, the function app and its settings.</summary>
[Collection(InfraCollection.Name)]
public sealed class FunctionAppTests(InfraFixture infra)
{
    private const string ClientIdExpression =
        "reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')), '2024-11-30').clientId";
    private const string IdentityClientId = "[" + ClientIdExpression + "]";
    private const string IdentityResourceId = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]";
    private const string StorageReference = "reference(resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName')), '2025-01-01')";

    private async Task<(ArmTemplate Main, ArmTemplate Api, JsonObject Site)> AppAsync()
    {
        var main = await infra.CompiledAsync();
        var api = main.Module("api");
        return (main, api, api.Single("Microsoft.Web/sites"));
    }

    /// <summary>The app settings a deployment sets (with no ACI nodes: their settings are in <see cref="AciNodeTests"/>).</summary>
    private async Task<(DeploymentSnapshot Snapshot, IReadOnlyDictionary<string, string?> Settings)> AppSettingsAsync()
    {
        var snapshot = await infra.SnapshotAsync(("environmentName", "'dev'"), ("location", "'westeurope'"), ("aciNodeCount", "0"));
        return (snapshot, snapshot.AppSettings);
    }

    [Fact]
    public async Task The_plan_is_Flex_Consumption_on_Linux()
    {
        var (_, api, site) = await AppAsync();
        var plan = api.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.True((bool?)plan["properties"]?["reserved"], "reserved (Linux)");
        Assert.Equal("[resourceId('Microsoft.Web/serverfarms', parameters('planName'))]", (string?)site["properties"]?["serverFarmId"]);
    }

    [Fact]
    public async Task The_app_is_a_Linux_function_app_running_as_the_user_assigned_identity_over_https()
    {
        var (_, _, site) = await AppAsync();

        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]?["type"]);
        var identity = Assert.Single(site["identity"]!["userAssignedIdentities"]!.AsObject());
        Assert.Contains(IdentityResourceId[1..^1], identity.Key, StringComparison.Ordinal);
        Assert.True((bool?)site["properties"]?["httpsOnly"], "httpsOnly");
    }

    [Fact]
    public async Task The_app_runs_dotnet_isolated_10_with_2_GB_instances_and_a_small_scale_out_limit()
    {
        var (main, api, site) = await AppAsync();
        var config = site["properties"]!["functionAppConfig"]!;

        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]?["version"]);

        // Both come from parameters: instance memory from the module's default, the limit from main's.
        Assert.Equal("[parameters('instanceMemoryMB')]", (string?)config["scaleAndConcurrency"]?["instanceMemoryMB"]);
        Assert.Null(main.ModuleDeployment("api")["properties"]?["parameters"]?["instanceMemoryMB"]);
        Assert.Equal(2048, (int?)api.Parameters["instanceMemoryMB"]?["defaultValue"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)config["scaleAndConcurrency"]?["maximumInstanceCount"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", main.ModuleArgument("api", "maximumInstanceCount"));
        Assert.InRange((int?)main.Parameters["maximumInstanceCount"]?["defaultValue"] ?? 0, 1, 40);
    }

    [Fact]
    public async Task The_app_is_deployed_from_the_blob_container_with_the_identity()
    {
        var (_, _, site) = await AppAsync();
        var storage = site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;

        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal($"[format('{{0}}{{1}}', {StorageReference}.primaryEndpoints.blob, parameters('deploymentContainerName'))]", (string?)storage["value"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]?["type"]);
        Assert.Equal(IdentityResourceId, (string?)storage["authentication"]?["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public async Task Basic_publishing_credentials_are_off()
    {
        var (_, api, site) = await AppAsync();
        var policies = api.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.Equal(
            ["[format('{0}/{1}', parameters('name'), 'ftp')]", "[format('{0}/{1}', parameters('name'), 'scm')]"],
            policies.Select(p => (string?)p["name"]).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False((bool?)p["properties"]?["allow"] ?? true));
        Assert.Equal("Disabled", (string?)site["properties"]?["siteConfig"]?["ftpsState"]);
    }

    [Fact]
    public async Task Only_the_function_app_carries_the_azd_service_name_of_the_azure_yaml_service()
    {
        var (main, _, site) = await AppAsync();
        var service = ((YamlScalarNode)Assert.Single(AzdProjectTests.Services().Children).Key).Value;

        Assert.Equal("[union(parameters('tags'), createObject('azd-service-name', parameters('serviceName')))]", (string?)site["tags"]);
        Assert.Equal(service, main.Literal(main.ModuleDeployment("api")["properties"]!["parameters"]!["serviceName"]!["value"]));

        // azd refuses to deploy when more than one resource in the group carries the tag.
        var tagged = main.SelfAndModules.SelectMany(t => t.Resources)
            .Where(r => r["tags"]?.ToJsonString().Contains("azd-service-name", StringComparison.Ordinal) == true)
            .ToList();
        Assert.Equal("Microsoft.Web/sites", (string?)Assert.Single(tagged)["type"]);
    }

    [Fact]
    public async Task App_settings_are_exactly_the_identity_based_ones_and_the_queue_triggers_queue()
    {
        var (_, settings) = await AppSettingsAsync();

        Assert.Equal(
            new[]
            {
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "APPLICATIONINSIGHTS_CONNECTION_STRING", "AZURE_CLIENT_ID",
                "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__credential",
                "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
                "KubernetesApi__MaxWatchTimeoutSeconds", "Runtime__Kind", "Storage__ChangeQueue", "Storage__QueueServiceUri", "Storage__TableServiceUri",
            }.Order(StringComparer.Ordinal),
            settings.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "a connection string would carry the account key, and shared keys are off")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME", "Flex Consumption rejects it: functionAppConfig.runtime says it")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION", "Flex Consumption rejects it")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE", "Flex Consumption deploys from functionAppConfig.deployment")]
    public async Task App_settings_leave_out(string name, string why)
    {
        var (_, settings) = await AppSettingsAsync();

        Assert.False(settings.ContainsKey(name), $"{name} is set, but {why}.");
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__credential", "managedidentity")]
    [InlineData("AzureWebJobsStorage__clientId", "{identity}.clientId")]
    [InlineData("AZURE_CLIENT_ID", "{identity}.clientId")]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "{storage}.primaryEndpoints.blob")]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "{storage}.primaryEndpoints.queue")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "{storage}.primaryEndpoints.table")]
    [InlineData("Storage__QueueServiceUri", "{storage}.primaryEndpoints.queue")]
    [InlineData("Storage__TableServiceUri", "{storage}.primaryEndpoints.table")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "{insights}.ConnectionString")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "format('ClientId={0};Authorization=AAD', {identity}.clientId)")]
    [InlineData("Storage__ChangeQueue", "kube-changes")]
    [InlineData("KubernetesApi__MaxWatchTimeoutSeconds", "200")]
    [InlineData("Runtime__Kind", "none")]
    public async Task App_setting_has_its_value(string name, string expected)
    {
        var (snapshot, settings) = await AppSettingsAsync();

        // {identity}, {storage}, {insights}: reading the resource the deployment creates, a value known only at run time.
        string Read(string type, string apiVersion) => $"reference('{(string)snapshot.Single(type)["id"]!}', '{apiVersion}')";
        var value = expected
            .Replace("{identity}", Read("Microsoft.ManagedIdentity/userAssignedIdentities", "2024-11-30"), StringComparison.Ordinal)
            .Replace("{storage}", Read("Microsoft.Storage/storageAccounts", "2025-01-01"), StringComparison.Ordinal)
            .Replace("{insights}", Read("Microsoft.Insights/components", "2020-02-02"), StringComparison.Ordinal);
        Assert.Equal(value == expected ? expected : $"[{value}]", settings[name]);
    }
}
