using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace DurableKube.Api.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (<c>Dashboard/wwwroot</c>, logical names <c>dashboard/...</c>) so both
/// hosts serve the same bytes with no files beside them: each with its content type and a strong ETag of its content.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    private DashboardAssets(FrozenDictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>Gets the files of this assembly's dashboard.</summary>
    public static DashboardAssets Embedded { get; } = Load(typeof(DashboardAssets).Assembly);

    /// <summary>Gets the paths served, relative to <c>/ui/</c>.</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>Finds a file by its path under <c>/ui/</c> (empty: <c>index.html</c>).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The file, or <see langword="null"/>.</returns>
    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path.Length == 0 ? "index.html" : path);

    /// <summary>The content type of a file name, by its extension.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The content type; <c>application/octet-stream</c> for an extension not listed.</returns>
    public static string ContentTypeOf(string path) =>
        ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");

    private static DashboardAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[Prefix.Length..].Replace('\\', '/');
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"";
            assets[path] = new DashboardAsset(path, bytes, ContentTypeOf(path), etag);
        }

        return new DashboardAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
