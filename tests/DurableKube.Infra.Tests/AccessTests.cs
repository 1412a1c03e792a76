using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableKube.Infra.Tests;

/// <summary>Who may do what: the role assignments, shared keys off, local auth off.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class AccessTests(InfraFixture infra)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string ContainerInstancesContributor = "5d977122-f97e-4b4d-a52f-6b43003ddb4d";

    private const string IdentityPrincipalId =
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')), '2024-11-30').principalId]";
    private const string DeployerPrincipalId = "[parameters('principalId')]";
    private const string StorageScope = "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]";
    private const string InsightsScope = "[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]";

    private sealed record Assignment(string Role, string PrincipalId, string PrincipalType, string Scope, string? Condition);

    private static List<Assignment> Assignments(ArmTemplate template) =>
        template.SelfAndModules.SelectMany(t => t.ResourcesOfType("Microsoft.Authorization/roleAssignments").Select(r => new Assignment(
            RoleId(t.Resolve(r["properties"]?["roleDefinitionId"])),
            t.Resolve(r["properties"]?["principalId"]),
            t.Resolve(r["properties"]?["principalType"]),
            t.Resolve(r["scope"]),
            (string?)r["condition"]))).ToList();

    private static string RoleId(string roleDefinitionId)
    {
        var match = RoleDefinition().Match(roleDefinitionId);
        Assert.True(match.Success, $"Role definition id {roleDefinitionId} is not a built-in role by id.");
        return match.Groups["id"].Value;
    }

    [Fact]
    public async Task The_identity_gets_blob_queue_and_table_data_roles_on_the_storage_account()
    {
        var assignments = Assignments(await infra.CompiledAsync()).Where(a => a.PrincipalId == IdentityPrincipalId && a.Scope == StorageScope).ToList();

        Assert.Equal(
            new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(),
            assignments.Select(a => a.Role).Order());
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", a.PrincipalType));
        Assert.All(assignments, a => Assert.Null(a.Condition));
    }

    [Fact]
    public async Task The_identity_publishes_metrics_to_Application_Insights_only()
    {
        var assignment = Assert.Single(Assignments(await infra.CompiledAsync()), a => a.Scope == InsightsScope);

        Assert.Equal(MonitoringMetricsPublisher, assignment.Role);
        Assert.Equal(IdentityPrincipalId, assignment.PrincipalId);
        Assert.Null(assignment.Condition);
    }

    [Fact]
    public async Task The_deploying_principal_gets_the_storage_data_roles_only_when_given()
    {
        var template = await infra.CompiledAsync();
        var assignments = Assignments(template).Where(a => a.PrincipalId == DeployerPrincipalId).ToList();

        Assert.Equal(
            new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(),
            assignments.Select(a => a.Role).Order());
        Assert.All(assignments, a => Assert.Equal(StorageScope, a.Scope));
        Assert.All(assignments, a => Assert.Equal("[not(empty(parameters('principalId')))]", a.Condition));
        Assert.All(assignments, a => Assert.Equal("[parameters('principalType')]", a.PrincipalType));
        Assert.Equal("[parameters('principalId')]", template.ModuleArgument("rbac", "principalId"));
        Assert.Equal("", (string?)template.Parameters["principalId"]?["defaultValue"]);
    }

    [Fact]
    public async Task Every_role_assignment_is_one_of_those_on_storage_or_Application_Insights_or_the_node_role()
    {
        var assignments = Assignments(await infra.CompiledAsync());

        // 3 storage roles for the identity, 3 for the deploying principal, 1 metrics role, 1 on the node group: nothing broader.
        Assert.Equal(8, assignments.Count);
        var resourceScoped = assignments.Where(a => a.Role != ContainerInstancesContributor).ToList();
        Assert.Equal(7, resourceScoped.Count);
        Assert.All(resourceScoped, a => Assert.Contains(a.PrincipalId, new[] { IdentityPrincipalId, DeployerPrincipalId }));
        Assert.All(resourceScoped, a => Assert.Contains(a.Scope, new[] { StorageScope, InsightsScope }));

        // The node role has no scope of its own: its module is deployed in the node group (AciNodeTests checks the group).
        var nodeRole = Assert.Single(assignments, a => a.Role == ContainerInstancesContributor);
        Assert.Equal("null", nodeRole.Scope);
        Assert.Equal("ServicePrincipal", nodeRole.PrincipalType);
        Assert.Null(nodeRole.Condition);
    }

    [Fact]
    public async Task The_roles_name_the_resources_the_other_modules_create()
    {
        var template = await infra.CompiledAsync();

        Assert.Equal(template.ModuleArgument("identity", "name"), template.ModuleArgument("rbac", "identityName"));
        Assert.Equal(template.ModuleArgument("storage", "name"), template.ModuleArgument("rbac", "storageAccountName"));
        Assert.Equal(template.ModuleArgument("monitoring", "applicationInsightsName"), template.ModuleArgument("rbac", "applicationInsightsName"));
        Assert.Equal(template.ModuleArgument("identity", "name"), template.ModuleArgument("api", "identityName"));
        Assert.Equal(template.ModuleArgument("storage", "name"), template.ModuleArgument("api", "storageAccountName"));
        Assert.Equal(template.ModuleArgument("monitoring", "applicationInsightsName"), template.ModuleArgument("api", "applicationInsightsName"));
        Assert.Equal(template.ModuleArgument("storage", "deploymentContainerName"), template.ModuleArgument("api", "deploymentContainerName"));
    }

    [Fact]
    public async Task The_storage_account_takes_no_shared_keys_no_anonymous_blobs_and_TLS_1_2_or_later()
    {
        var storage = (await infra.CompiledAsync()).Module("storage");
        var properties = storage.Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False(Bool(properties["allowSharedKeyAccess"]), "allowSharedKeyAccess");
        Assert.False(Bool(properties["allowBlobPublicAccess"]), "allowBlobPublicAccess");
        Assert.True(Bool(properties["defaultToOAuthAuthentication"]), "defaultToOAuthAuthentication");
        Assert.True(Bool(properties["supportsHttpsTrafficOnly"]), "supportsHttpsTrafficOnly");
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);

        var container = storage.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", (string?)container["properties"]?["publicAccess"]);
        Assert.Contains("parameters('deploymentContainerName')", (string?)container["name"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_Analytics_and_Application_Insights_take_Entra_ID_only()
    {
        var monitoring = (await infra.CompiledAsync()).Module("monitoring");
        var workspace = monitoring.Single("Microsoft.OperationalInsights/workspaces");
        var insights = monitoring.Single("Microsoft.Insights/components");

        Assert.True(Bool(workspace["properties"]?["features"]?["disableLocalAuth"]), "workspace disableLocalAuth");
        Assert.True(Bool(insights["properties"]?["DisableLocalAuth"]), "Application Insights DisableLocalAuth");
        Assert.Equal(
            "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]",
            (string?)insights["properties"]?["WorkspaceResourceId"]);
    }

    private static bool Bool(JsonNode? node)
    {
        Assert.True(node is JsonValue value && value.TryGetValue<bool>(out _), $"Expected a literal boolean, found {node?.ToJsonString() ?? "nothing"}.");
        return node!.GetValue<bool>();
    }

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', '(?<id>[0-9a-f-]{36})'\)\]$")]
    private static partial Regex RoleDefinition();
}
