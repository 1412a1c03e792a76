using System.Globalization;
using DurableKube.Api.Auth;
using DurableKube.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Watch;

/// <summary>
/// Counts each client's open watches and refuses one beyond <see cref="KubernetesApiOptions.MaxWatchesPerClient"/> with
/// 429 TooManyRequests and <c>Retry-After</c>, as the API server's priority and fairness answers a client over its share.
/// A client is its authenticated user, or its remote address when authentication is off (every request is then the
/// same administrator).
/// </summary>
internal sealed class WatchLimiter(IOptions<KubernetesApiOptions> options)
{
    /// <summary>The seconds a refused client is told to wait before it watches again.</summary>
    public const int RetryAfterSeconds = 1;

    private readonly int _max = options.Value.MaxWatchesPerClient;
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Takes one of the client's watch slots until the returned handle is disposed.</summary>
    /// <param name="context">The watch request.</param>
    /// <returns>The slot.</returns>
    /// <exception cref="ApiException">429 when the client has <see cref="KubernetesApiOptions.MaxWatchesPerClient"/> watches open.</exception>
    public IDisposable Enter(HttpContext context)
    {
        var client = ClientOf(context);
        lock (_open)
        {
            var open = _open.GetValueOrDefault(client);
            if (open >= _max)
            {
                throw StatusErrors.TooManyRequests(
                    string.Create(CultureInfo.InvariantCulture, $"too many requests: {client} has {open} watches open, the most one client may have"),
                    RetryAfterSeconds);
            }

            _open[client] = open + 1;
        }

        return new Slot(this, client);
    }

    /// <summary>Gets how many watches a client has open now.</summary>
    /// <param name="client">The client, as <see cref="ClientOf"/> names it.</param>
    /// <returns>The count.</returns>
    public int OpenBy(string client)
    {
        lock (_open)
        {
            return _open.GetValueOrDefault(client);
        }
    }

    /// <summary>Names the client of a request: <c>user "name"</c>, or <c>address a.b.c.d</c> when authentication is off.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The client's name.</returns>
    public static string ClientOf(HttpContext context) =>
        context.Items[typeof(ApiUser)] is ApiUser user && !ReferenceEquals(user, ApiGate.Open)
            ? $"user \"{user.Name}\""
            : "address " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private void Leave(string client)
    {
        lock (_open)
        {
            if (_open.TryGetValue(client, out var open) && open > 1)
            {
                _open[client] = open - 1;
            }
            else
            {
                _open.Remove(client);
            }
        }
    }

    private sealed class Slot(WatchLimiter limiter, string client) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                limiter.Leave(client);
            }
        }
    }
}
