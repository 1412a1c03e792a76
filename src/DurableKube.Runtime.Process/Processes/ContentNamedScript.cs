using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>
/// A script the runtime keeps in its state root under a name that changes with its content
/// (<c>&lt;prefix&gt;-&lt;hash&gt;.sh</c>), so a newer runtime never rewrites the script a running container was started with.
/// </summary>
/// <param name="prefix">The first part of the file name.</param>
/// <param name="text">The script.</param>
[SupportedOSPlatform("linux")]
internal sealed class ContentNamedScript(string prefix, string text)
{
    /// <summary>Gets the script's file name.</summary>
    public string FileName { get; } = $"{prefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 6))}.sh";

    /// <summary>Writes the script into the root unless it is there.</summary>
    /// <param name="root">The state root.</param>
    /// <returns>The script's path.</returns>
    public string Install(string root)
    {
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            RunFiles.WriteAtomic(path, text);
        }

        return path;
    }
}
