using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace DurableKube.LocalHost.Tests;

/// <summary>Bad requests against the real host: each gets the right Status, nothing is stored, and the host keeps serving.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class HostileInputTests(LocalHostFixture host)
{
    public static TheoryData<string, string, string, HttpStatusCode, string> Requests => new()
    {
        { "malformed JSON", "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",", HttpStatusCode.BadRequest, "BadRequest" },
        { "malformed YAML", "application/yaml", "apiVersion: v1\nkind: Pod\nmetadata: [unclosed", HttpStatusCode.BadRequest, "BadRequest" },
        { "wrong kind", "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"x\"}}", HttpStatusCode.BadRequest, "BadRequest" },
        { "bad name", "application/json", Pod("Not_A_DNS_Name"), (HttpStatusCode)422, "Invalid" },
        { "unknown field, strict", "application/json", Pod("strict-one").Replace("\"spec\":{", "\"spec\":{\"bogus\":1,", StringComparison.Ordinal), HttpStatusCode.BadRequest, "BadRequest" },
        { "unsupported content type", "text/plain", Pod("plain-one"), HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType" },
        { "oversized body", "application/json", Pod("huge-one").Replace("\"metadata\":{", "\"metadata\":{\"annotations\":{\"a\":\"" + new string('x', 4 * 1024 * 1024) + "\"},", StringComparison.Ordinal), HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_bad_create_gets_the_right_Status_and_stores_nothing(string what, string contentType, string body, HttpStatusCode code, string reason)
    {
        using var http = host.CreateHttpClient();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods?fieldValidation=Strict", content);

        Assert.True(code == response.StatusCode, $"{what}: expected {code}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal(reason, status.RootElement.GetProperty("reason").GetString());
        Assert.Equal((int)code, status.RootElement.GetProperty("code").GetInt32());

        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/namespaces/default/pods"));
        Assert.DoesNotContain(list.RootElement.GetProperty("items").EnumerateArray(), p => p.GetProperty("metadata").GetProperty("name").GetString()!.EndsWith("-one", StringComparison.Ordinal));
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task A_body_that_trickles_in_and_stops_gets_a_408_Status_and_the_host_keeps_serving()
    {
        using var connection = await RawConnection.OpenAsync(host);
        await connection.WriteAsync(Head("POST", "/api/v1/namespaces/default/pods", ("Content-Type", "application/json"), ("Content-Length", "4000")) + "{\"apiVersion\":");

        // Kestrel's minimum data rate (240 bytes/s after a 5 s grace) cuts the body; the API answers its Status.
        var (code, headers, body) = await connection.ReadResponseAsync(TimeSpan.FromSeconds(120));

        Assert.True(code == 408, $"expected 408, got {code}: {headers}\n{body}");
        AssertStatus(body, 408, "Timeout");
        await AssertServingAsync();
    }

    [Fact]
    public async Task A_client_that_cuts_its_body_short_leaves_no_unexpected_failure_in_the_log()
    {
        static int Unexpected(string log) => log.Split('\n').Count(l => l.Contains("failed unexpectedly", StringComparison.Ordinal));
        var before = Unexpected(host.HostLog());
        using (var connection = await RawConnection.OpenAsync(host))
        {
            await connection.WriteAsync(Head("POST", "/api/v1/namespaces/default/pods", ("Content-Type", "application/json"), ("Content-Length", "4000")) + "{\"apiVersion\":");
        }

        // Kestrel ends the body read with "unexpected end of request content": the client's doing, not a server failure.
        await AssertServingAsync();
        await AssertServingAsync();
        Assert.Equal(before, Unexpected(host.HostLog()));
    }

    [Fact]
    public async Task Headers_over_the_API_limit_get_a_431_Status_and_far_larger_ones_Kestrels_431()
    {
        using var http = host.CreateHttpClient();
        using var over = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        over.Headers.TryAddWithoutValidation("X-Padding", new string('a', 40 * 1024));
        using var refused = await http.SendAsync(over);
        Assert.Equal((HttpStatusCode)431, refused.StatusCode);
        AssertStatus(await refused.Content.ReadAsStringAsync(), 431, "RequestHeaderFieldsTooLarge");

        // Far over, Kestrel answers 431 itself and closes the connection, often while the client is still writing.
        using var far = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        far.Headers.TryAddWithoutValidation("X-Padding", new string('a', 200 * 1024));
        try
        {
            using var kestrel = await http.SendAsync(far);
            Assert.Equal((HttpStatusCode)431, kestrel.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // The connection was cut before the whole request was sent: refused too.
        }

        await AssertServingAsync();
    }

    [Theory]
    [InlineData("X-A: a\rX-Injected: 1")]
    [InlineData("X-A: a\0b")]
    public async Task A_header_with_a_bare_CR_or_NUL_is_refused_before_the_API(string header)
    {
        using var connection = await RawConnection.OpenAsync(host);
        await connection.WriteAsync($"GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {host.Token()}\r\n{header}\r\n\r\n");

        var (code, headers, _) = await connection.ReadResponseAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(400, code);
        Assert.DoesNotContain("X-Injected", headers, StringComparison.OrdinalIgnoreCase);
        await AssertServingAsync();
    }

    [Fact]
    public async Task A_bare_LF_in_a_header_ends_the_line_and_injects_nothing_into_the_response()
    {
        // RFC 9112 lets a server take a lone LF as a line end, as Kestrel does: the request then simply has two headers.
        using var connection = await RawConnection.OpenAsync(host);
        await connection.WriteAsync($"GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {host.Token()}\r\nX-A: a\nX-Injected: 1\r\n\r\n");

        var (code, headers, body) = await connection.ReadResponseAsync(TimeSpan.FromSeconds(60));

        Assert.True(code is 200 or 400, $"{code}: {body}");
        Assert.DoesNotContain("X-Injected", headers, StringComparison.OrdinalIgnoreCase);
        await AssertServingAsync();
    }

    [Fact]
    public async Task Many_idle_and_half_sent_connections_do_not_stop_the_host_serving_and_memory_stays_bounded()
    {
        var before = ResidentBytes(host.HostPid);
        var connections = new List<RawConnection>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var connection = await RawConnection.OpenAsync(host);
                connections.Add(connection);
                // Half of them send half a request head and stop (slowloris), half a body and stop.
                await connection.WriteAsync(i % 2 == 0
                    ? "GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                    : Head("POST", "/api/v1/namespaces/default/pods", ("Content-Type", "application/json"), ("Content-Length", "100000")) + "{");
            }

            await AssertServingAsync();
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }

        await AssertServingAsync();
        var after = ResidentBytes(host.HostPid);
        Assert.True(after - before < 300L * 1024 * 1024, $"the host's VmRSS grew from {before / 1024 / 1024} MiB to {after / 1024 / 1024} MiB (bound: 300 MiB)");
    }

    private string Head(string method, string path, params (string Name, string Value)[] headers) =>
        $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {host.Token()}\r\n"
        + string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\r\n")) + "\r\n";

    private static void AssertStatus(string body, int code, string reason)
    {
        using var status = JsonDocument.Parse(body);
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal(reason, status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(code, status.RootElement.GetProperty("code").GetInt32());
    }

    private async Task AssertServingAsync()
    {
        using var http = host.CreateHttpClient();
        http.Timeout = TimeSpan.FromSeconds(60);
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>A TLS connection to the host that writes exactly what it is given (no client normalizes it).</summary>
    private sealed class RawConnection : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;

        private RawConnection(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
        }

        public static async Task<RawConnection> OpenAsync(LocalHostFixture host)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, host.Port);
            // Trust up.sh's CA only, as the fixture's HTTP client does.
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) => host.TrustsServerCertificate(certificate));
            await tls.AuthenticateAsClientAsync("127.0.0.1");
            return new RawConnection(tcp, tls);
        }

        public async Task WriteAsync(string text)
        {
            await _tls.WriteAsync(Encoding.UTF8.GetBytes(text));
            await _tls.FlushAsync();
        }

        /// <summary>Reads one response: its code, its head, and its body (by Content-Length, or to the end).</summary>
        public async Task<(int Code, string Head, string Body)> ReadResponseAsync(TimeSpan deadline)
        {
            using var cancel = new CancellationTokenSource(deadline);
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            while (true)
            {
                var text = Encoding.UTF8.GetString(buffer.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var head = text[..end];
                    var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        .Select(p => int.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault(-1);
                    var body = text[(end + 4)..];
                    var chunked = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
                    if ((length >= 0 && Encoding.UTF8.GetByteCount(body) >= length) || (chunked && body.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal)))
                    {
                        return (int.Parse(head.Split(' ')[1], CultureInfo.InvariantCulture), head, chunked ? Dechunk(body) : body);
                    }
                }

                int read;
                try
                {
                    read = await _tls.ReadAsync(chunk, cancel.Token);
                }
                catch (IOException) when (buffer.Length > 0)
                {
                    read = 0;
                }

                if (read == 0)
                {
                    var all = Encoding.UTF8.GetString(buffer.ToArray());
                    var split = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    Assert.True(split >= 0, $"the connection ended without a response: {all}");
                    var rest = all[(split + 4)..];
                    return (int.Parse(all.Split(' ')[1], CultureInfo.InvariantCulture), all[..split],
                        all[..split].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(rest) : rest);
                }

                buffer.Write(chunk, 0, read);
            }
        }

        private static string Dechunk(string body)
        {
            var result = new StringBuilder();
            var at = 0;
            while (at < body.Length)
            {
                var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                if (line < 0)
                {
                    break;
                }

                var size = int.Parse(body[at..line], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    break;
                }

                result.Append(body, line + 2, Math.Min(size, body.Length - line - 2));
                at = line + 2 + size + 2;
            }

            return result.ToString();
        }

        public void Dispose()
        {
            _tls.Dispose();
            _tcp.Dispose();
        }
    }

    private static string Pod(string name) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"command\":[\"true\"]}]}}";
}
