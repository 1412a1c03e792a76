using System.Security.Cryptography;
using System.Text;

namespace DurableKube.Runtime.Aci;

/// <summary>
/// The container group of a pod: its name, made from the pod's namespace, name and uid within ACI's rules
/// (1 to 63 characters, lowercase letters, digits and '-', neither first nor last '-'), and the tags that say
/// whose it is.
/// </summary>
public static class GroupNames
{
    /// <summary>The tag holding the pod's namespace.</summary>
    public const string NamespaceTag = "durablekube-namespace";

    /// <summary>The tag holding the pod's name.</summary>
    public const string PodTag = "durablekube-pod";

    /// <summary>The tag holding the pod's uid: how the runtime finds the group of a pod.</summary>
    public const string UidTag = "durablekube-pod-uid";

    /// <summary>The tag holding the node's name: a node lists only its own groups.</summary>
    public const string NodeTag = "durablekube-node";

    /// <summary>The tag holding the generation: the attempt number of the runs the group's last (re)start began.</summary>
    public const string GenerationTag = "durablekube-generation";

    private const int MaxLength = 63;
    private const string Prefix = "dk-";

    /// <summary>The group name of a pod, e.g. <c>dk-default-web-7c9f-3fa2b1c0d4</c>: readable, and unique by the uid's hash.</summary>
    /// <param name="podNamespace">The pod's namespace.</param>
    /// <param name="podName">The pod's name.</param>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The name; the same for the same pod, always.</returns>
    public static string For(string podNamespace, string podName, string podUid)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(podUid)))[..10];
        var readable = Clean($"{podNamespace}-{podName}");
        var room = MaxLength - Prefix.Length - 1 - hash.Length;
        readable = readable.Length > room ? readable[..room].TrimEnd('-') : readable;
        return readable.Length == 0 ? $"{Prefix}{hash}" : $"{Prefix}{readable}-{hash}";
    }

    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            var keep = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-';
            if (keep != '-' || (builder.Length > 0 && builder[^1] != '-'))
            {
                builder.Append(keep);
            }
        }

        return builder.ToString().Trim('-');
    }
}
