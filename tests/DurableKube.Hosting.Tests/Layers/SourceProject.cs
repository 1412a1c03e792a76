using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using DurableKube.Testing;

namespace DurableKube.Hosting.Tests.Layers;

/// <summary>
/// One of our projects as src/ has it: the references its project file declares, and the assembly references its
/// build compiled in, read from the built file's metadata without loading it.
/// </summary>
internal sealed class SourceProject
{
    /// <summary>The framework every project targets (Directory.Build.props); a build writes to bin/&lt;configuration&gt;/&lt;framework&gt;/.</summary>
    private const string TargetFramework = "net10.0";

    private readonly string _folder;

    private SourceProject(string projectFile)
    {
        var project = XDocument.Load(projectFile);
        Name = Path.GetFileNameWithoutExtension(projectFile);
        _folder = Path.GetDirectoryName(projectFile)!;
        AssemblyName = project.Descendants("AssemblyName").LastOrDefault()?.Value.Trim() is { Length: > 0 } assemblyName ? assemblyName : Name;
        ProjectReferences = [.. Includes(project, "ProjectReference").Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))];
        PackageReferences = [.. Includes(project, "PackageReference"), .. Includes(project, "FrameworkReference")];
    }

    /// <summary>Gets every project under src/, by name.</summary>
    public static IReadOnlyList<SourceProject> All { get; } =
    [
        .. Directory.EnumerateDirectories(Path.Combine(RepositoryRoot.Path, "src"))
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj"))
            .Select(file => new SourceProject(file))
            .OrderBy(project => project.Name, StringComparer.Ordinal),
    ];

    /// <summary>
    /// Gets the configuration whose build output is read: DURABLEKUBE_CONFIGURATION as scripts/test.sh exports it,
    /// else the one these tests were built with, else Release.
    /// </summary>
    public static string Configuration { get; } =
        Environment.GetEnvironmentVariable("DURABLEKUBE_CONFIGURATION") is { Length: > 0 } configuration ? configuration
        : typeof(SourceProject).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } built ? built
        : "Release";

    /// <summary>Gets the project's name, its project file's name.</summary>
    public string Name { get; }

    /// <summary>Gets the name of the assembly its build writes (LocalHost's is durablekube).</summary>
    public string AssemblyName { get; }

    /// <summary>Gets the projects its project file references, by name.</summary>
    public IReadOnlyList<string> ProjectReferences { get; }

    /// <summary>Gets the packages and shared frameworks its project file references.</summary>
    public IReadOnlyList<string> PackageReferences { get; }

    /// <summary>Gets the path of its built assembly in the configuration read, relative to the repository.</summary>
    public string AssemblyFile => Path.GetRelativePath(RepositoryRoot.Path, Path.Combine(_folder, "bin", Configuration, TargetFramework, AssemblyName + ".dll"));

    /// <summary>The project of that name under src/.</summary>
    public static SourceProject Named(string name) => All.Single(project => project.Name == name);

    /// <summary>
    /// The project of ours an assembly reference names: the src/ project that builds it, or the name itself when it
    /// is ours (DurableKube.*) but no project under src/ builds it; null for a third-party assembly.
    /// </summary>
    public static string? ProjectOf(string assemblyName) =>
        All.FirstOrDefault(project => project.AssemblyName.Equals(assemblyName, StringComparison.OrdinalIgnoreCase))?.Name
        ?? (assemblyName.StartsWith("DurableKube.", StringComparison.OrdinalIgnoreCase) ? assemblyName : null);

    /// <summary>The names of the assemblies its built assembly references, from the file's metadata; the file must exist.</summary>
    public IReadOnlyList<string> CompiledReferences()
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryRoot.Path, AssemblyFile));
        using var image = new PEReader(stream);
        var metadata = image.GetMetadataReader();
        return [.. metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name))];
    }

    /// <summary>
    /// Its own sources (C# files and the project file, outside bin/ and obj/) written after its built assembly: if
    /// any, the assembly is stale and says nothing about them. The assembly must exist.
    /// </summary>
    public IReadOnlyList<string> SourcesNewerThanTheAssembly()
    {
        var built = File.GetLastWriteTimeUtc(Path.Combine(RepositoryRoot.Path, AssemblyFile));
        return
        [
            .. Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories)
                .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".csproj", StringComparison.Ordinal))
                .Where(file => Path.GetRelativePath(_folder, file).Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj"))
                .Where(file => File.GetLastWriteTimeUtc(file) > built)
                .Select(file => Path.GetRelativePath(RepositoryRoot.Path, file))
                .Order(StringComparer.Ordinal),
        ];
    }

    private static IEnumerable<string> Includes(XDocument project, string item) =>
        project.Descendants(item).Select(element => (string?)element.Attribute("Include")).OfType<string>();
}
