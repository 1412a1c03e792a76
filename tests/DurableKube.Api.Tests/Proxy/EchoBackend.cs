using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DurableKube.Api.Tests.Proxy;

/// <summary>
/// A tiny HTTP/1.1 server on a loopback port that answers every request with what it received: the request line,
/// the headers it was sent and the body, with status 207 and an <c>X-Backend</c> header naming itself.
/// </summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public EchoBackend(string name)
    {
        Name = name;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public string Name { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public List<string> Requests { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
            {
                head.Append((char)buffer[0]);
            }

            var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var length = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(p => int.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
            var body = new byte[length];
            var read = 0;
            while (read < length)
            {
                read += await stream.ReadAsync(body.AsMemory(read));
            }

            lock (Requests)
            {
                Requests.Add(lines[0]);
            }

            var answer = Encoding.UTF8.GetBytes($"{Name}\n{head}{Encoding.UTF8.GetString(body)}");
            var response = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 207 Multi-Status\r\nContent-Type: text/plain\r\nX-Backend: {Name}\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(response);
            await stream.WriteAsync(answer);
        }
    }
}
