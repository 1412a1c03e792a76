using DurableKube.Testing;

namespace DurableKube.Hosting.Tests.Layers;

/// <summary>
/// Our projects keep to the layering of docs/architecture.md (Layers): every reference a project file declares, and
/// every assembly reference a build compiled in, points down. The rules themselves are tested in <see cref="LayeringRulesTests"/>.
/// </summary>
public sealed class LayeringTests
{
    public static TheoryData<string> Projects => new(SourceProject.All.Select(project => project.Name));

    [Fact]
    public void Every_project_under_src_has_a_place_in_the_layering()
    {
        var unplaced = SourceProject.All.Select(project => project.Name).Where(name => !Layering.MayReference.ContainsKey(name)).ToList();

        Assert.True(unplaced.Count == 0, $"No place in the layering for {string.Join(", ", unplaced)}: give each a row in {nameof(Layering)} and in docs/architecture.md, Layers.");
    }

    [Fact]
    public void Every_place_in_the_layering_has_its_project()
    {
        var missing = Layering.MayReference.Keys.Except(SourceProject.All.Select(project => project.Name)).ToList();

        Assert.True(missing.Count == 0, $"No project under src/ for {string.Join(", ", missing)}: a renamed project takes its row along.");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void The_references_a_project_file_declares_point_down_only(string name)
    {
        var project = SourceProject.Named(name);

        var violations = Layering.Violations(name, project.ProjectReferences, project.PackageReferences);

        Assert.True(violations.Count == 0, $"src/{name}/{name}.csproj declares:\n{string.Join('\n', violations)}");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void The_references_a_build_compiled_in_point_down_only(string name)
    {
        var project = SourceProject.Named(name);
        var build = $"dotnet build src/{name} -c {SourceProject.Configuration}";
        Assert.True(
            File.Exists(Path.Combine(RepositoryRoot.Path, project.AssemblyFile)),
            $"{project.AssemblyFile} is missing, so what {name} references cannot be checked: {build} (scripts/test.sh builds the whole solution first).");
        var stale = project.SourcesNewerThanTheAssembly();
        Assert.True(stale.Count == 0, $"{project.AssemblyFile} is older than {string.Join(", ", stale)}, so it says nothing about them: {build}.");

        var references = project.CompiledReferences();
        var violations = Layering.Violations(
            name,
            references.Select(SourceProject.ProjectOf).OfType<string>(),
            references.Where(reference => SourceProject.ProjectOf(reference) is null));

        Assert.True(violations.Count == 0, $"{project.AssemblyFile} references:\n{string.Join('\n', violations)}");
    }

    [Fact]
    public void The_readers_see_the_arrows_the_composition_is_known_to_have()
    {
        var hosting = SourceProject.Named(Layering.Hosting);
        var compiled = hosting.CompiledReferences();
        string[] adaptersAndLayers = [Layering.Api, Layering.Workflows, Layering.Store, Layering.Runtime, Layering.RuntimeDocker];

        Assert.All(adaptersAndLayers, project => Assert.Contains(project, hosting.ProjectReferences));
        Assert.All(adaptersAndLayers, project => Assert.Contains(project, compiled));
        Assert.Contains("Microsoft.Extensions.DependencyInjection.Abstractions", compiled);
        Assert.Null(SourceProject.ProjectOf("Microsoft.Extensions.DependencyInjection.Abstractions"));
        Assert.Contains("KubernetesClient", SourceProject.Named(Layering.Domain).PackageReferences);
    }

    [Fact]
    public void An_assembly_reference_is_read_as_the_project_that_builds_it()
    {
        Assert.Equal(Layering.LocalHost, SourceProject.ProjectOf("durablekube"));
        Assert.Equal(Layering.Api, SourceProject.ProjectOf("DurableKube.Api"));
        Assert.Equal("DurableKube.Elsewhere", SourceProject.ProjectOf("DurableKube.Elsewhere"));
        Assert.Null(SourceProject.ProjectOf("KubernetesClient"));
    }
}
