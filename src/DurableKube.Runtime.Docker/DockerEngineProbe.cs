using System.Net.Sockets;
using System.Text;

namespace DurableKube.Runtime.Docker;

/// <summary>Whether a Docker engine answers on an endpoint: what <c>Runtime__Kind=auto</c> decides by.</summary>
public static class DockerEngineProbe
{
    /// <summary>Asks the engine's <c>/_ping</c> over its unix socket, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="endpoint">The endpoint, e.g. <c>unix:///var/run/docker.sock</c>.</param>
    /// <param name="timeout">How long to wait for the answer.</param>
    /// <returns>Whether an engine answered <c>OK</c>.</returns>
    public static bool Answers(string endpoint, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != "unix" || !File.Exists(uri.LocalPath))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.SendTimeout = socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            using var cancel = new CancellationTokenSource(timeout);
            socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.LocalPath), cancel.Token).AsTask().GetAwaiter().GetResult();
            socket.Send("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8);
            var buffer = new byte[512];
            var answer = new StringBuilder();
            int read;
            while ((read = socket.Receive(buffer)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var text = answer.ToString();
            return text.StartsWith("HTTP/1.", StringComparison.Ordinal) && text.Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
