using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using k8s.Models;

namespace DurableKube.Api.OpenApi;

/// <summary>
/// The descriptions of the KubernetesClient model types and properties, read once from the XML documentation
/// the package ships (<c>KubernetesClient.xml</c>, copied to the output beside the hosts' assemblies): they are
/// Kubernetes' own field documentation, which OpenAPI serves and <c>kubectl explain</c> prints.
/// </summary>
internal static partial class ModelDocumentation
{
    private const string Prefix = "k8s.Models.";
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Summaries = new(Load);

    /// <summary>Gets a value indicating whether the documentation was found.</summary>
    public static bool Available => Summaries.Value.Count > 0;

    /// <summary>The summary of a model type, or an empty string.</summary>
    /// <param name="type">The model type.</param>
    /// <returns>The text.</returns>
    public static string OfType(Type type) => Summaries.Value.GetValueOrDefault("T:" + Prefix + type.Name, string.Empty);

    /// <summary>The summary of a model property, or an empty string.</summary>
    /// <param name="type">The model type.</param>
    /// <param name="property">The C# property name.</param>
    /// <returns>The text.</returns>
    public static string OfProperty(Type type, string property) => Summaries.Value.GetValueOrDefault($"P:{Prefix}{type.Name}.{property}", string.Empty);

    private static Dictionary<string, string> Load()
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "KubernetesClient.xml"),
            Path.ChangeExtension(typeof(V1Pod).Assembly.Location, ".xml"),
        }.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return summaries;
        }

        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, DtdProcessing = DtdProcessing.Prohibit });
        string? member = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Name == "member")
            {
                member = reader.GetAttribute("name");
            }
            else if (reader.Name == "summary" && member is not null && member.AsSpan(2).StartsWith(Prefix, StringComparison.Ordinal))
            {
                summaries[member] = Whitespace().Replace(((XElement)XNode.ReadFrom(reader)).Value, " ").Trim();
                member = null;
            }
        }

        return summaries;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
