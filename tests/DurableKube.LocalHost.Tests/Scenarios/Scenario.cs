using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DurableKube.LocalHost.Tests.Scenarios;

/// <summary>
/// A kubectl scenario (a file of <c>tests/scenarios/</c>): the manifests of a page of the Kubernetes documentation, the
/// commands the page runs and the output the page shows, compared with what kubectl prints against the local host.
/// </summary>
internal sealed class Scenario
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();

    /// <summary>Gets or sets where the expected output comes from (pages of kubernetes.io, or Kubernetes' source).</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets what the scenario shows, and how its manifests differ from the page's (images).</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>Gets or sets the manifests by file name; a command's argument naming one is given its path.</summary>
    public Dictionary<string, string> Files { get; set; } = [];

    /// <summary>Gets or sets the steps, run in order in a namespace of the scenario's own.</summary>
    public List<ScenarioStep> Steps { get; set; } = [];

    /// <summary>Gets the folder of the scenarios.</summary>
    public static string Directory => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "tests", "scenarios");

    /// <summary>Gets the names of every scenario.</summary>
    public static IEnumerable<string> Names =>
        System.IO.Directory.EnumerateFiles(Directory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

    /// <summary>Reads a scenario.</summary>
    /// <param name="name">Its name (the file name without <c>.yaml</c>).</param>
    /// <returns>The scenario.</returns>
    public static Scenario Load(string name) => Yaml.Deserialize<Scenario>(File.ReadAllText(Path.Combine(Directory, name + ".yaml")));
}

/// <summary>One step: a kubectl command and what it must print, or a watch and the STATUS values it must show.</summary>
internal sealed class ScenarioStep
{
    /// <summary>Gets or sets kubectl's arguments (the runner adds the kubeconfig and the namespace).</summary>
    public string? Kubectl { get; set; }

    /// <summary>Gets or sets the exit code kubectl must end with.</summary>
    public int Exit { get; set; }

    /// <summary>Gets or sets the whole output: a table's header first, then its rows in any order.</summary>
    public string? Expect { get; set; }

    /// <summary>Gets or sets lines the output must hold, in this order (others may come between).</summary>
    public string? Contains { get; set; }

    /// <summary>Gets or sets how many seconds the command is tried again until its output matches (0: once).</summary>
    public int Within { get; set; }

    /// <summary>Gets or sets the arguments of a watch (<c>get pods -w</c>) started before <see cref="While"/> runs.</summary>
    public string? Watch { get; set; }

    /// <summary>Gets or sets the command run once the watch has started.</summary>
    public string? While { get; set; }

    /// <summary>Gets or sets the STATUS value that ends the watch.</summary>
    public string? Until { get; set; }

    /// <summary>Gets or sets the STATUS values the watch must show, in order, repeats in a row counted once.</summary>
    public List<string>? Statuses { get; set; }
}
