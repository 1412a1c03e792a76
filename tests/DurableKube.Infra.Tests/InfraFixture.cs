using System.Collections.Concurrent;
using DurableKube.Testing;

namespace DurableKube.Infra.Tests;

/// <summary>
/// Builds infra/main.bicep and lints every .bicep file under infra/ once for all the infra tests.
/// Failures (no CLI, a CLI that cannot run, a failed build) surface in each test that needs the result.
/// </summary>
public sealed class InfraFixture : IDisposable
{
    private readonly string _outputDirectory =
        Path.Combine(Path.GetTempPath(), "durablekube-infra-" + Guid.NewGuid().ToString("N"));
    private readonly Lazy<Task<BicepRun>> _version;
    private readonly Lazy<Task<BicepRun>> _build;
    private readonly Lazy<Task<BicepRun>> _lint;
    private readonly ConcurrentDictionary<string, Lazy<Task<DeploymentSnapshot>>> _snapshots = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="InfraFixture"/> class; runs nothing yet.</summary>
    public InfraFixture()
    {
        Directory.CreateDirectory(_outputDirectory);
        _version = new(() => BicepCli.RunAsync(Root, "--version"));
        _build = new(() => BicepCli.RunAsync(Root, "build", MainBicep, "--outfile", CompiledPath));
        _lint = new(() => BicepCli.RunAsync(Root, "lint", "--pattern", "infra/**/*.bicep"));
    }

    /// <summary>Gets the repository root.</summary>
    public static string Root => RepositoryRoot.Path;

    /// <summary>Gets the path of infra/main.bicep.</summary>
    public static string MainBicep => Path.Combine(Root, "infra", "main.bicep");

    /// <summary>Gets the path the compiled template is written to.</summary>
    public string CompiledPath => Path.Combine(_outputDirectory, "main.json");

    /// <summary>Gets the run of <c>bicep --version</c>.</summary>
    public Task<BicepRun> VersionAsync() => _version.Value;

    /// <summary>Gets the run of <c>bicep build infra/main.bicep</c>.</summary>
    public Task<BicepRun> BuildAsync() => _build.Value;

    /// <summary>Gets the run of <c>bicep lint</c> over every .bicep file under infra/.</summary>
    public Task<BicepRun> LintAsync() => _lint.Value;

    /// <summary>
    /// Predicts what a deployment of infra/main.bicep with these parameters creates (<c>bicep snapshot</c> over a
    /// .bicepparam file written for it), in subscription <see cref="DeploymentSnapshot.SubscriptionId"/>.
    /// </summary>
    /// <param name="parameters">Each parameter's Bicep literal, e.g. <c>("environmentName", "'dev'")</c>.</param>
    /// <returns>The snapshot.</returns>
    /// <remarks>Each set of parameters is snapshot once (a snapshot takes seconds) and shared by the tests that ask for it.</remarks>
    public Task<DeploymentSnapshot> SnapshotAsync(params (string Name, string Literal)[] parameters)
    {
        var key = string.Join('\n', parameters.Select(p => $"{p.Name}={p.Literal}").Order(StringComparer.Ordinal));
        return _snapshots.GetOrAdd(key, _ => new Lazy<Task<DeploymentSnapshot>>(() => TakeSnapshotAsync(parameters))).Value;
    }

    private async Task<DeploymentSnapshot> TakeSnapshotAsync((string Name, string Literal)[] parameters)
    {
        var directory = Path.Combine(_outputDirectory, "snapshot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "deployment.bicepparam");
        var main = Path.GetRelativePath(directory, MainBicep).Replace('\\', '/');
        await File.WriteAllLinesAsync(file, parameters.Select(p => $"param {p.Name} = {p.Literal}").Prepend($"using '{main}'"));
        var run = await BicepCli.RunAsync(
            Root, "snapshot", file, "--mode", "overwrite",
            "--subscription-id", DeploymentSnapshot.SubscriptionId, "--tenant-id", DeploymentSnapshot.TenantId,
            "--location", "westeurope", "--deployment-name", "durablekube");
        var snapshot = Path.ChangeExtension(file, ".snapshot.json");
        Assert.True(run.ExitCode == 0 && File.Exists(snapshot), run.Describe());
        return DeploymentSnapshot.Load(snapshot);
    }

    /// <summary>Gets the compiled main template, failing with the build's output if it did not compile.</summary>
    public async Task<ArmTemplate> CompiledAsync()
    {
        var build = await BuildAsync();
        Assert.True(build.ExitCode == 0 && File.Exists(CompiledPath), build.Describe());
        return ArmTemplate.Load(CompiledPath);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(_outputDirectory))
        {
            Directory.Delete(_outputDirectory, recursive: true);
        }
    }
}
