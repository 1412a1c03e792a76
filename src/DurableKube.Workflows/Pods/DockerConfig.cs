using System.Text;
using System.Text.Json;
using DurableKube.Ports.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Pods;

/// <summary>Reads registry credentials from a <c>kubernetes.io/dockerconfigjson</c> or <c>kubernetes.io/dockercfg</c> Secret, as the kubelet's credential provider does.</summary>
internal static class DockerConfig
{
    /// <summary>The credentials a Secret holds; none for a Secret of another type or content that is not a docker config.</summary>
    /// <param name="secret">The Secret.</param>
    /// <returns>The credentials, one per registry.</returns>
    public static IReadOnlyList<ImagePullCredential> Credentials(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var (key, nested) = secret.Type switch
        {
            "kubernetes.io/dockerconfigjson" => (".dockerconfigjson", true),
            "kubernetes.io/dockercfg" => (".dockercfg", false),
            _ => (string.Empty, false),
        };
        if (key.Length == 0 || secret.Data?.TryGetValue(key, out var content) != true || content is null)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (nested && !root.TryGetProperty("auths", out root))
            {
                return [];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            var credentials = new List<ImagePullCredential>();
            foreach (var entry in root.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var username = Text(entry.Value, "username");
                var password = Text(entry.Value, "password");
                if ((username.Length == 0 || password.Length == 0) && Text(entry.Value, "auth") is { Length: > 0 } auth)
                {
                    try
                    {
                        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                        var colon = pair.IndexOf(':', StringComparison.Ordinal);
                        if (colon > 0)
                        {
                            (username, password) = (pair[..colon], pair[(colon + 1)..]);
                        }
                    }
                    catch (FormatException)
                    {
                        // Not base64: the entry has no usable credentials.
                    }
                }

                if (username.Length > 0)
                {
                    credentials.Add(new ImagePullCredential(Server(entry.Name), username, password));
                }
            }

            return credentials;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>A registry key as a host: <c>https://index.docker.io/v1/</c> becomes <c>index.docker.io</c>.</summary>
    private static string Server(string key)
    {
        var server = key;
        var scheme = server.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            server = server[(scheme + 3)..];
        }

        var slash = server.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? server[..slash] : server;
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
}
