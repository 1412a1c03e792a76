using System.Globalization;

namespace DurableKube.Api.Proxy;

/// <summary>What a proxy path names: <c>[scheme:]name[:port]</c> (the apiserver's <c>SplitSchemeNamePort</c>).</summary>
/// <param name="Scheme">The scheme asked for, empty when none.</param>
/// <param name="Name">The Service or pod.</param>
/// <param name="Port">The port, by name or number, empty when none.</param>
internal sealed record ProxyTarget(string Scheme, string Name, string Port)
{
    /// <summary>Parses the name segment of a proxy path.</summary>
    /// <param name="id">The segment.</param>
    /// <param name="target">The parts.</param>
    /// <returns>Whether it has one to three parts and a name.</returns>
    public static bool TryParse(string id, out ProxyTarget target)
    {
        var parts = id.Split(':');
        target = parts.Length switch
        {
            1 => new ProxyTarget(string.Empty, parts[0], string.Empty),
            2 => new ProxyTarget(string.Empty, parts[0], parts[1]),
            3 => new ProxyTarget(parts[0], parts[1], parts[2]),
            _ => new ProxyTarget(string.Empty, string.Empty, string.Empty),
        };
        return target.Name.Length > 0;
    }

    /// <summary>Gets the port as a number, when it is one.</summary>
    public int? PortNumber =>
        int.TryParse(Port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}
