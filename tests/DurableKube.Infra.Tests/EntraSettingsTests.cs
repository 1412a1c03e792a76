using System.Text.RegularExpressions;

namespace DurableKube.Infra.Tests;

/// <summary>The API's Microsoft Entra ID door: the <c>Auth__Entra__*</c> app settings come from parameters, and azd shows them as outputs.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class EntraSettingsTests(InfraFixture infra)
{
    private const string Audience = "api://durablekube";

    private Task<DeploymentSnapshot> DeployAsync(params (string Name, string Literal)[] parameters) =>
        infra.SnapshotAsync([("environmentName", "'dev'"), ("location", "'westeurope'"), ("aciNodeCount", "0"), .. parameters]);

    [Fact]
    public async Task Without_an_audience_no_Entra_setting_is_written_and_the_outputs_are_empty()
    {
        var snapshot = await DeployAsync();

        Assert.DoesNotContain(snapshot.AppSettings.Keys, k => k.StartsWith("Auth__", StringComparison.Ordinal));
        Assert.Equal(string.Empty, (string?)snapshot.Outputs["AUTH_ENTRA_AUDIENCE"]);
        Assert.Equal(string.Empty, (string?)snapshot.Outputs["AUTH_ENTRA_TENANT_ID"]);
    }

    [Fact]
    public async Task With_an_audience_the_app_accepts_tokens_of_the_subscriptions_tenant_with_the_default_roles()
    {
        var snapshot = await DeployAsync(("entraAudience", $"'{Audience}'"));
        var settings = snapshot.AppSettings;

        Assert.Equal(DeploymentSnapshot.TenantId, settings["Auth__Entra__TenantId"]);
        Assert.Equal(Audience, settings["Auth__Entra__Audience"]);
        Assert.Equal("DurableKube.Admin", settings["Auth__Entra__AdminRole"]);
        Assert.Equal("DurableKube.View", settings["Auth__Entra__ViewRole"]);
        Assert.Equal(Audience, (string?)snapshot.Outputs["AUTH_ENTRA_AUDIENCE"]);
        Assert.Equal(DeploymentSnapshot.TenantId, (string?)snapshot.Outputs["AUTH_ENTRA_TENANT_ID"]);
    }

    [Fact]
    public async Task The_tenant_the_audiences_and_the_role_names_are_taken_as_given()
    {
        const string tenant = "33333333-3333-3333-3333-333333333333";
        const string audiences = Audience + ",44444444-4444-4444-4444-444444444444";
        var snapshot = await DeployAsync(
            ("entraAudience", $"'{audiences}'"), ("entraTenantId", $"'{tenant}'"),
            ("entraAdminRole", "'Kube.Admin'"), ("entraViewRole", "'Kube.Reader'"));
        var settings = snapshot.AppSettings;

        Assert.Equal(tenant, settings["Auth__Entra__TenantId"]);
        Assert.Equal(audiences, settings["Auth__Entra__Audience"]);
        Assert.Equal("Kube.Admin", settings["Auth__Entra__AdminRole"]);
        Assert.Equal("Kube.Reader", settings["Auth__Entra__ViewRole"]);
        Assert.Equal(tenant, (string?)snapshot.Outputs["AUTH_ENTRA_TENANT_ID"]);
    }

    [Fact]
    public async Task Every_Entra_setting_names_a_property_the_API_reads()
    {
        var snapshot = await DeployAsync(("entraAudience", $"'{Audience}'"));
        var source = await File.ReadAllTextAsync(Path.Combine(InfraFixture.Root, "src", "DurableKube.Api", "Auth", "EntraOptions.cs"));
        var properties = PublicProperty().Matches(source).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        var entra = snapshot.AppSettings.Keys.Where(k => k.StartsWith("Auth__Entra__", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, entra.Count);
        Assert.All(entra, k => Assert.True(properties.Contains(k["Auth__Entra__".Length..]), $"{k} names no public property of EntraOptions ({string.Join(", ", properties)})."));
    }

    [Fact]
    public void Azd_passes_the_audience_and_tenant_from_the_environment()
    {
        var parameters = File.ReadAllText(Path.Combine(InfraFixture.Root, "infra", "main.parameters.json"));

        Assert.Contains("\"${AUTH_ENTRA_AUDIENCE}\"", parameters, StringComparison.Ordinal);
        Assert.Contains("\"${AUTH_ENTRA_TENANT_ID}\"", parameters, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"public\s+string\??\s+(\w+)\s*\{\s*get;\s*set;")]
    private static partial Regex PublicProperty();
}
