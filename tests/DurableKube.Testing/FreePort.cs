using System.Net;
using System.Net.Sockets;

namespace DurableKube.Testing;

/// <summary>Loopback ports nothing listens on, for the servers tests start.</summary>
public static class FreePort
{
    /// <summary>Gets a port on 127.0.0.1 that was free a moment ago (the system hands it out; it may be taken again, rarely).</summary>
    /// <returns>The port.</returns>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
