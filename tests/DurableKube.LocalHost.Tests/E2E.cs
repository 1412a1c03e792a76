using System.Text.Json;

namespace DurableKube.LocalHost.Tests;

/// <summary>Small helpers the end-to-end tests share.</summary>
internal static class E2E
{
    /// <summary>A namespace name no other test uses.</summary>
    public static string UniqueNamespace(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Writes a manifest to a temporary file for kubectl -f.</summary>
    public static string Manifest(LocalHostFixture host, string yaml)
    {
        var path = Path.Combine(host.Scratch, $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Creates a namespace with kubectl apply.</summary>
    public static async Task CreateNamespaceAsync(LocalHostFixture host, string name) =>
        await host.KubectlOkAsync("apply", "-f", Manifest(host, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n"));

    /// <summary>Reads a pod with kubectl -o json.</summary>
    public static async Task<JsonElement> GetPodJsonAsync(LocalHostFixture host, string ns, string name)
    {
        var json = await host.KubectlOkAsync("get", "pod", name, "-n", ns, "-o", "json");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The STATUS column kubectl prints for a pod.</summary>
    public static async Task<string> StatusColumnAsync(LocalHostFixture host, string ns, string name)
    {
        var output = await host.KubectlOkAsync("get", "pod", name, "-n", ns, "--no-headers");
        var cells = output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return cells.Length >= 3 ? cells[2] : output;
    }

    /// <summary>Whether any process's command line contains the token.</summary>
    public static bool AnyProcessWith(string token)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(token, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return false;
    }
}
