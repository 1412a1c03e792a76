using System.Text.RegularExpressions;

namespace DurableKube.Infra.Tests;

/// <summary>The Bicep CLI runs here, and infra/ builds and lints without a single diagnostic.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class BicepBuildTests(InfraFixture infra)
{
    [Fact]
    public async Task The_Bicep_CLI_from_the_package_runs_on_this_machine()
    {
        var run = await infra.VersionAsync();

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.StartsWith("Bicep CLI version ", run.StandardOutput.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_bicep_builds_without_warnings_or_errors()
    {
        var run = await infra.BuildAsync();

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.True(run.Diagnostics.Count == 0, "bicep build reported:\n" + string.Join('\n', run.Diagnostics));
        Assert.NotEmpty((await infra.CompiledAsync()).Resources);
    }

    [Fact]
    public async Task Every_bicep_file_under_infra_lints_without_warnings_or_errors()
    {
        var run = await infra.LintAsync();

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.True(run.Diagnostics.Count == 0, "bicep lint reported:\n" + string.Join('\n', run.Diagnostics));
    }

    [Fact]
    public void Infra_uses_only_local_modules()
    {
        // Registry modules (br:, br/public:, ts:) cannot be restored on machines without a route to the registry.
        var infraDir = Path.Combine(InfraFixture.Root, "infra");
        var registryModules = Directory.EnumerateFiles(infraDir, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(x => RegistryModule().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(InfraFixture.Root, x.file)}:{x.number}: {x.line.Trim()}")
            .ToList();

        Assert.True(registryModules.Count == 0, "Registry modules:\n" + string.Join('\n', registryModules));
    }

    [GeneratedRegex(@"^\s*module\s+\w+\s+'(br|ts)[:/]")]
    private static partial Regex RegistryModule();
}
