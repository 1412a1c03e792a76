using System.Text.Json.Nodes;

namespace DurableKube.Infra.Tests;

/// <summary>
/// The Azure Container Instances worker nodes, as a deployment would create them (<c>bicep snapshot</c>): their
/// resource group, the app identity's role on it and nowhere else, and the app settings that describe each node.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class AciNodeTests(InfraFixture infra)
{
    private const string ContainerInstancesContributor = "5d977122-f97e-4b4d-a52f-6b43003ddb4d";
    private const string Environment = "dev";
    private const string NodeGroup = "rg-dev-nodes";

    private static readonly string[] NodeKeys = ["Kind", "SubscriptionId", "ResourceGroup", "Region", "Cpu", "MemoryGi", "Pods", "ClientId"];

    private Task<DeploymentSnapshot> DeployAsync(params (string Name, string Literal)[] more) =>
        infra.SnapshotAsync([("environmentName", $"'{Environment}'"), ("location", "'westeurope'"), .. more]);

    private static string IdentityId(DeploymentSnapshot snapshot) =>
        (string)snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;

    [Fact]
    public async Task The_snapshot_of_a_deployment_has_no_diagnostics()
    {
        var snapshot = await DeployAsync();

        Assert.Empty(snapshot.Diagnostics);
        Assert.NotEmpty(snapshot.Resources);
    }

    [Fact]
    public async Task The_nodes_get_a_resource_group_of_their_own_in_their_region_tagged_with_the_environment()
    {
        var snapshot = await DeployAsync(("aciNodeLocation", "'northeurope'"));

        var groups = snapshot.OfType("Microsoft.Resources/resourceGroups").ToDictionary(g => (string)g["name"]!);
        Assert.Equal(["rg-dev", NodeGroup], groups.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("northeurope", (string?)groups[NodeGroup]["location"]);
        Assert.Equal("westeurope", (string?)groups["rg-dev"]["location"]);
        Assert.Equal(Environment, (string?)groups[NodeGroup]["tags"]?["azd-env-name"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("''")] // What azd passes when ACI_NODE_LOCATION is not set.
    public async Task The_node_region_defaults_to_the_apps(string? given)
    {
        var snapshot = given is null ? await DeployAsync() : await DeployAsync(("aciNodeLocation", given));

        var group = Assert.Single(snapshot.OfType("Microsoft.Resources/resourceGroups"), g => (string?)g["name"] == NodeGroup);
        Assert.Equal("westeurope", (string?)group["location"]);
        Assert.Equal("westeurope", snapshot.AppSettings["Nodes__aci-1__Region"]);
    }

    [Fact]
    public async Task The_app_identity_is_Container_Instances_Contributor_on_the_node_group_and_nothing_else_is()
    {
        var snapshot = await DeployAsync();

        var assignment = Assert.Single(
            snapshot.OfType("Microsoft.Authorization/roleAssignments"),
            a => ((string?)a["properties"]?["roleDefinitionId"])!.EndsWith(ContainerInstancesContributor, StringComparison.Ordinal));
        var properties = assignment["properties"]!;

        // Its id says its scope: the node group itself, not a resource in it, not the app's group or the subscription.
        Assert.Equal(
            $"{DeploymentSnapshot.ResourceGroupId(NodeGroup)}/providers/Microsoft.Authorization/roleAssignments/{assignment["name"]}",
            (string?)assignment["id"]);
        Assert.Equal(
            $"/subscriptions/{DeploymentSnapshot.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{ContainerInstancesContributor}",
            (string?)properties["roleDefinitionId"]);
        Assert.Equal(DeploymentSnapshot.Reference(IdentityId(snapshot), "2024-11-30", "principalId"), (string?)properties["principalId"]);
        Assert.Equal("ServicePrincipal", (string?)properties["principalType"]);
        Assert.True(Guid.TryParse((string?)assignment["name"], out _), "The assignment's name is a GUID.");
    }

    [Fact]
    public async Task Nothing_else_is_granted_in_the_node_group()
    {
        var snapshot = await DeployAsync(("principalId", "'00000000-0000-0000-0000-000000000001'"));

        var inNodeGroup = snapshot.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => ((string)a["id"]!).StartsWith(DeploymentSnapshot.ResourceGroupId(NodeGroup) + "/", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.Single(inNodeGroup);
        Assert.DoesNotContain(snapshot.OfType("Microsoft.Authorization/roleAssignments"),
            a => ((string)a["id"]!).StartsWith($"/subscriptions/{DeploymentSnapshot.SubscriptionId}/providers/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_app_settings_describe_each_node_with_its_group_region_and_capacity()
    {
        var snapshot = await DeployAsync(
            ("aciNodeCount", "2"), ("aciNodeLocation", "'swedencentral'"), ("aciNodeCpu", "8"), ("aciNodeMemoryGi", "32"), ("aciNodePods", "40"));
        var settings = snapshot.AppSettings;

        foreach (var node in new[] { "aci-1", "aci-2" })
        {
            Assert.Equal("aci", settings[$"Nodes__{node}__Kind"]);
            Assert.Equal(DeploymentSnapshot.SubscriptionId, settings[$"Nodes__{node}__SubscriptionId"]);
            Assert.Equal(NodeGroup, settings[$"Nodes__{node}__ResourceGroup"]);
            Assert.Equal("swedencentral", settings[$"Nodes__{node}__Region"]);
            Assert.Equal("8", settings[$"Nodes__{node}__Cpu"]);
            Assert.Equal("32", settings[$"Nodes__{node}__MemoryGi"]);
            Assert.Equal("40", settings[$"Nodes__{node}__Pods"]);
            Assert.Equal(DeploymentSnapshot.Reference(IdentityId(snapshot), "2024-11-30", "clientId"), settings[$"Nodes__{node}__ClientId"]);
        }

        Assert.Equal(
            new[] { "aci-1", "aci-2" }.SelectMany(n => NodeKeys.Select(k => $"Nodes__{n}__{k}")).Order(StringComparer.Ordinal),
            settings.Keys.Where(k => k.StartsWith("Nodes__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task By_default_there_is_one_ACI_node()
    {
        var settings = (await DeployAsync()).AppSettings;

        Assert.Equal(
            NodeKeys.Select(k => $"Nodes__aci-1__{k}").Order(StringComparer.Ordinal),
            settings.Keys.Where(k => k.StartsWith("Nodes__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task With_no_nodes_the_app_gets_no_node_settings_but_the_group_and_role_stay_for_later()
    {
        var snapshot = await DeployAsync(("aciNodeCount", "0"));

        Assert.DoesNotContain(snapshot.AppSettings.Keys, k => k.StartsWith("Nodes__", StringComparison.Ordinal));
        Assert.Contains(snapshot.OfType("Microsoft.Resources/resourceGroups"), g => (string?)g["name"] == NodeGroup);
        Assert.Equal(new JsonArray().ToJsonString(), snapshot.Outputs["AZURE_ACI_NODES"]?.ToJsonString());
    }

    [Fact]
    public async Task The_runtime_signs_in_as_the_app_identity_and_the_process_runtime_is_not_configured()
    {
        var snapshot = await DeployAsync();
        var settings = snapshot.AppSettings;

        // The ACI runtime's DefaultAzureCredential takes the user-assigned identity its node's ClientId names.
        Assert.Equal(DeploymentSnapshot.Reference(IdentityId(snapshot), "2024-11-30", "clientId"), settings["Nodes__aci-1__ClientId"]);
        Assert.Equal(settings["Nodes__aci-1__ClientId"], settings["AZURE_CLIENT_ID"]);
        Assert.Equal("none", settings["Runtime__Kind"]); // No local node: the Functions app refuses the process runtime.
        Assert.DoesNotContain(settings, s => s.Key.EndsWith("__Kind", StringComparison.Ordinal) && s.Value == "process");
    }

    [Fact]
    public async Task The_outputs_name_the_node_group_its_region_and_the_nodes()
    {
        var snapshot = await DeployAsync(("aciNodeCount", "3"), ("aciNodeLocation", "'eastus'"));

        Assert.Equal(NodeGroup, (string?)snapshot.Outputs["AZURE_NODE_RESOURCE_GROUP"]);
        Assert.Equal("eastus", (string?)snapshot.Outputs["AZURE_NODE_LOCATION"]);
        Assert.Equal("""["aci-1","aci-2","aci-3"]""", snapshot.Outputs["AZURE_ACI_NODES"]?.ToJsonString());
    }

    [Fact]
    public async Task The_app_is_created_after_its_roles_on_the_node_group()
    {
        var template = await infra.CompiledAsync();
        var api = template.ModuleDeployment("api");

        Assert.Contains(
            api["dependsOn"]!.AsArray().Select(d => (string?)d),
            d => d!.EndsWith("'Microsoft.Resources/deployments', 'node-access')]", StringComparison.Ordinal));
        Assert.Equal("[format('{0}{1}-nodes', 'rg-', parameters('environmentName'))]", template.Resolve(template.ModuleDeployment("node-access")["resourceGroup"]));
    }
}
