namespace DurableKube.Api.Tests.Support;

/// <summary>Hands the C# client's requests to the test server instead of the network.</summary>
internal sealed class TestServerForwarder(HttpMessageHandler server) : DelegatingHandler
{
    private readonly HttpMessageInvoker _invoker = new(server);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _invoker.Dispose();
        }

        base.Dispose(disposing);
    }
}
