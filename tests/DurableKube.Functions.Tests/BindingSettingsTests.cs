using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableKube.Functions.Dispatch;
using DurableKube.Functions.Tests.Support;
using DurableKube.Store.AzureStorage;
using DurableKube.Testing;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace DurableKube.Functions.Tests;

/// <summary>
/// Every app setting a binding expression (<c>%name%</c>) names is set wherever the app runs: a trigger
/// whose expression does not resolve does not start, and nothing else would say so before deployment.
/// </summary>
public sealed partial class BindingSettingsTests
{
    private static readonly string LocalSettingsPath = Path.Combine(RepositoryRoot.Path, "src", "DurableKube.Functions", "local.settings.example.json");
    private static readonly string AppBicepPath = Path.Combine(RepositoryRoot.Path, "infra", "app", "api.bicep");

    /// <summary>Gets the app settings the bindings' <c>%name%</c> expressions name, from the attributes the SDK writes functions.metadata from.</summary>
    public static IReadOnlyList<string> ExpressionSettings { get; } =
        FunctionCatalog.All
            .SelectMany(f => f.Method.GetParameters())
            .SelectMany(p => p.GetCustomAttributes<BindingAttribute>(inherit: false))
            .SelectMany(a => a.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0)
                .Select(p => (string?)p.GetValue(a)))
            .Where(v => v is not null)
            .SelectMany(v => SettingExpression().Matches(v!).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> Settings => new(ExpressionSettings);

    [Fact]
    public void The_change_queue_trigger_names_its_queue_by_the_Storage__ChangeQueue_setting()
    {
        Assert.Contains(ChangeFunctions.ChangeQueueSetting, ExpressionSettings);
        Assert.Equal("Storage__ChangeQueue", ChangeFunctions.ChangeQueueSetting);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Local_settings_example_sets_it(string setting)
    {
        var values = JsonNode.Parse(File.ReadAllText(LocalSettingsPath))!["Values"]!.AsObject();

        Assert.True(values.ContainsKey(setting), $"{LocalSettingsPath} does not set {setting}, which a binding expression names.");
        Assert.False(string.IsNullOrWhiteSpace((string?)values[setting]), $"{setting} is empty in {LocalSettingsPath}.");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_bicep_app_settings_set_it(string setting)
    {
        Assert.True(BicepAppSettings().Contains(setting), $"{AppBicepPath} does not set the app setting {setting}, which a binding expression names.");
    }

    [Fact]
    public void Both_name_the_queue_the_store_uses_by_default()
    {
        var values = JsonNode.Parse(File.ReadAllText(LocalSettingsPath))!["Values"]!.AsObject();

        Assert.Equal(new AzureStorageOptions().ChangeQueue, (string?)values[ChangeFunctions.ChangeQueueSetting]);
        Assert.Matches(@"^\s*Storage__ChangeQueue:\s*'kube-changes'\s*$", File.ReadAllLines(AppBicepPath).Single(l => l.TrimStart().StartsWith("Storage__ChangeQueue:", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The keys of the function app's <c>appsettings</c> config resource, read from the Bicep source (the infra
    /// tests compile it and check the values).
    /// </summary>
    private static HashSet<string> BicepAppSettings()
    {
        var lines = File.ReadAllLines(AppBicepPath);
        var start = Array.FindIndex(lines, l => l.Contains("name: 'appsettings'", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{AppBicepPath} has no appsettings config resource.");
        var properties = Array.FindIndex(lines, start, l => l.TrimStart().StartsWith("properties: {", StringComparison.Ordinal) || l.TrimStart().StartsWith("properties: union({", StringComparison.Ordinal));
        Assert.True(properties >= 0, "The appsettings resource has no properties.");

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var depth = 1;
        for (var i = properties + 1; i < lines.Length && depth > 0; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            if (depth == 1 && BicepKey().Match(line) is { Success: true } key)
            {
                keys.Add(key.Groups["key"].Value);
            }

            depth += line.Count(c => c == '{') - line.Count(c => c == '}');
        }

        return keys;
    }

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex SettingExpression();

    [GeneratedRegex(@"^(?<key>[A-Za-z_][A-Za-z0-9_]*)\s*:")]
    private static partial Regex BicepKey();
}
