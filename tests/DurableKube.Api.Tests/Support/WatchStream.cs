using System.Text.Json.Nodes;

namespace DurableKube.Api.Tests.Support;

/// <summary>An open watch: reads its JSON lines one at a time.</summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private Task<string?>? _pending;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public int Code => (int)_response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<WatchStream> OpenAsync(ApiHost api, string url, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await api.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new WatchStream(response, reader);
    }

    /// <summary>Reads the next event; fails the test if none comes in a generous time.</summary>
    public async Task<JsonNode> NextAsync()
    {
        var line = await ReadLineAsync(Patience) ?? throw new InvalidOperationException("the watch ended");
        return JsonNode.Parse(line)!;
    }

    /// <summary>Reads the next event if one comes within <paramref name="wait"/>; null otherwise.</summary>
    public async Task<JsonNode?> TryNextAsync(TimeSpan wait)
    {
        var line = await ReadLineAsync(wait);
        return line is null ? null : JsonNode.Parse(line);
    }

    /// <summary>Reads to the end; fails the test if the stream does not end.</summary>
    public async Task<List<JsonNode>> RestAsync()
    {
        var events = new List<JsonNode>();
        while (true)
        {
            _pending ??= _reader.ReadLineAsync();
            var line = await _pending.WaitAsync(Patience);
            _pending = null;
            if (line is null)
            {
                return events;
            }

            events.Add(JsonNode.Parse(line)!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        _reader.Dispose();
        if (_pending is not null)
        {
            try
            {
                await _pending.WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException or OperationCanceledException)
            {
                // The stream was closed under the read.
            }
        }
    }

    private async Task<string?> ReadLineAsync(TimeSpan wait)
    {
        _pending ??= _reader.ReadLineAsync();
        var done = await Task.WhenAny(_pending, Task.Delay(wait));
        if (done != _pending)
        {
            return null;
        }

        var line = await _pending;
        _pending = null;
        return line;
    }
}
