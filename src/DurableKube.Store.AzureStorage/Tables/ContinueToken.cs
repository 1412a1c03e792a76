using System.Buffers.Text;
using System.Globalization;
using System.Text;
using DurableKube.Ports.Store;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// The opaque continue token of a paged list: the resource version of the list's first page and the
/// row key of the last object returned, base64url-encoded.
/// </summary>
internal static class ContinueToken
{
    private const string Version = "1";

    /// <summary>Makes a token.</summary>
    /// <param name="resourceVersion">The resource version of the list's first page.</param>
    /// <param name="lastRowKey">The row key of the last object on this page.</param>
    /// <returns>The token.</returns>
    public static string Encode(long resourceVersion, string lastRowKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Join('|', Version, resourceVersion.ToString(CultureInfo.InvariantCulture), lastRowKey)));

    /// <summary>Reads a token back, checking it belongs to the list that is asked for.</summary>
    /// <param name="token">The token.</param>
    /// <param name="prefix">The key prefix of the list being read.</param>
    /// <returns>The first page's resource version and the key to continue after.</returns>
    /// <exception cref="StoreException">Kind <see cref="StoreErrorKind.InvalidContinue"/>.</exception>
    public static (long ResourceVersion, string AfterRowKey) Decode(string token, string prefix)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        var parts = text.Split('|', 3);
        if (parts.Length == 3
            && parts[0] == Version
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var resourceVersion)
            && parts[2].Length > prefix.Length
            && parts[2].StartsWith(prefix, StringComparison.Ordinal))
        {
            return (resourceVersion, parts[2]);
        }

        throw Invalid();
    }

    private static StoreException Invalid() =>
        new(StoreErrorKind.InvalidContinue, null, "continue key is not valid for this list: start the list again without it");
}
