using System.Globalization;

namespace DurableKube.Api.Content;

/// <summary>One media type with its parameters, e.g. <c>application/json;as=Table;v=v1;g=meta.k8s.io</c>.</summary>
/// <param name="Type">The type and subtype, lower case, e.g. <c>application/json</c>.</param>
/// <param name="Parameters">The parameters, names lower case.</param>
/// <param name="Text">The media type exactly as the client wrote it.</param>
/// <param name="Quality">The q value (1 when absent).</param>
internal sealed record MediaType(string Type, IReadOnlyDictionary<string, string> Parameters, string Text, double Quality)
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public const string Protobuf = "application/vnd.kubernetes.protobuf";
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses one media type; <see langword="null"/> if it is empty.</summary>
    public static MediaType? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split(';');
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var quality = 1.0;
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var name = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim().Trim('"');
            if (name == "q")
            {
                _ = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out quality);
            }
            else
            {
                parameters[name] = value;
            }
        }

        return new MediaType(parts[0].Trim().ToLowerInvariant(), parameters, text.Trim(), quality);
    }

    /// <summary>Parses an Accept header into its media ranges, most preferred first (stable for equal q).</summary>
    public static IReadOnlyList<MediaType> ParseAccept(IEnumerable<string?> headers) =>
        headers.Where(h => h is not null)
            .SelectMany(h => h!.Split(','))
            .Select(Parse)
            .OfType<MediaType>()
            .Select((m, i) => (m, i))
            .OrderByDescending(p => p.m.Quality)
            .ThenBy(p => p.i)
            .Select(p => p.m)
            .ToList();
}
