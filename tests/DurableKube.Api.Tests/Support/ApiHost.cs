using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using DurableKube.Testing.Store;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace DurableKube.Api.Tests.Support;

/// <summary>The API on a test server over the in-memory store, a fake runtime and a fake clock.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private readonly IHost _host;

    private ApiHost(IHost host, InMemoryObjectStore store, FakeTimeProvider time, FakeContainerRuntime runtime)
    {
        _host = host;
        Store = store;
        Time = time;
        Runtime = runtime;
        Client = host.GetTestClient();
    }

    public InMemoryObjectStore Store { get; }

    /// <summary>Gets the host's services, for tests that call the handler with a raw context.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Gets the host's write path, for tests that write as a workflow would.</summary>
    public ObjectRegistry Registry => _host.Services.GetRequiredService<ObjectRegistry>();

    /// <summary>Gets the kinds the host serves, as its routing, discovery and tables read them.</summary>
    public KindRegistry Kinds => _host.Services.GetRequiredService<KindRegistry>();

    public FakeTimeProvider Time { get; }

    public FakeContainerRuntime Runtime { get; }

    public HttpClient Client { get; }

    /// <param name="settings">Configuration of the API.</param>
    /// <param name="store">A store to serve instead of the in-memory one (which <see cref="Store"/> still is).</param>
    /// <param name="logs">Where the host's log entries go, if a test looks at them.</param>
    /// <param name="services">Services to register before the API's (which add theirs only if absent).</param>
    public static async Task<ApiHost> StartAsync(Dictionary<string, string?>? settings = null, IObjectStore? store = null, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var memory = new InMemoryObjectStore();
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var runtime = new FakeContainerRuntime();
        // The API is open (Auth:Disabled) unless a test configures its door (AuthTests).
        settings = new Dictionary<string, string?>(settings ?? []);
        if (!settings.Keys.Any(k => k.StartsWith("Auth:", StringComparison.Ordinal)))
        {
            settings["Auth:Disabled"] = "true";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var host = await new HostBuilder()
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(collection =>
                {
                    services?.Invoke(collection);
                    collection.AddSingleton(store ?? memory);
                    if (logs is not null)
                    {
                        collection.AddLogging(builder => builder.AddProvider(logs));
                    }

                    collection.AddSingleton<IContainerRuntime>(runtime);
                    collection.AddNodeRuntime(new NodeRuntime("node-1", runtime));
                    collection.AddSingleton<TimeProvider>(time);
                    collection.AddKubernetesApi(configuration);
                })
                .Configure(app => app.Run(context => context.RequestServices.GetRequiredService<KubernetesApi>().HandleAsync(context))))
            .StartAsync();
        return new ApiHost(host, memory, time, runtime);
    }

    public async Task<ApiResponse> SendAsync(HttpMethod method, string url, string? body = null, string? contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
        return new ApiResponse(response.StatusCode, text, mediaType, response.Headers);
    }

    /// <summary>Calls the handler directly with a raw context, so headers reach it exactly as written.</summary>
    public async Task<(int Code, string? ContentType, string Body)> InvokeAsync(string path, string accept)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = _host.Services };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.Headers.Accept = accept;
        using var body = new MemoryStream();
        context.Response.Body = body;
        await _host.Services.GetRequiredService<KubernetesApi>().HandleAsync(context);
        return (context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>Creates a WebSocket client of the test server (it serves the upgrade itself).</summary>
    public WebSocketClient CreateWebSocketClient() => _host.GetTestServer().CreateWebSocketClient();

    /// <summary>Creates the official C# client talking to this host.</summary>
    public Kubernetes CreateClient() =>
        new(new KubernetesClientConfiguration { Host = "http://localhost" }, new TestServerForwarder(_host.GetTestServer().CreateHandler()));

    public Task<ApiResponse> GetAsync(string url, string? accept = null) => SendAsync(HttpMethod.Get, url, accept: accept);

    public Task<ApiResponse> PostAsync(string url, object body, string contentType = "application/json") =>
        SendAsync(HttpMethod.Post, url, body as string ?? KubernetesJson.Serialize(body), contentType);

    public Task<ApiResponse> PutAsync(string url, object body, string contentType = "application/json") =>
        SendAsync(HttpMethod.Put, url, body as string ?? KubernetesJson.Serialize(body), contentType);

    public Task<ApiResponse> PatchAsync(string url, string body, string contentType) => SendAsync(HttpMethod.Patch, url, body, contentType);

    /// <summary>Posts a protobuf body (see <see cref="Proto"/>) as kubectl's generators do.</summary>
    public async Task<ApiResponse> PostProtobufAsync(string url, byte[] body, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", Proto.MediaType);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await Client.SendAsync(request);
        var mediaType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), mediaType, response.Headers);
    }

    public Task<ApiResponse> DeleteAsync(string url, string? body = null) => SendAsync(HttpMethod.Delete, url, body);

    /// <summary>Creates a pod through the API and returns it as stored.</summary>
    public async Task<V1Pod> CreatePodAsync(string name, string ns = "default", Action<V1Pod>? change = null)
    {
        var pod = Pod(name, ns);
        change?.Invoke(pod);
        var response = (await PostAsync($"/api/v1/namespaces/{ns}/pods", pod)).AssertOk(201);
        return KubernetesJson.Deserialize<V1Pod>(response.Body);
    }

    /// <summary>Writes a pod's status straight to the store, as the kubelet workflow would.</summary>
    public async Task<V1Pod> SetPodAsync(string name, Action<V1Pod> change, string ns = "default")
    {
        var pod = (V1Pod)(await Store.GetAsync(new ObjectKey(ResourceTypes.Pods, ns, name)))!;
        change(pod);
        return (V1Pod)await Store.UpdateAsync(ResourceTypes.Pods, pod);
    }

    public async Task<int> CountAsync(ResourceType type, string? ns = null) => (await Store.ListAsync(type, ns, ListQuery.All)).Items.Count;

    public static V1Pod Pod(string name, string ns = "default") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    public static JsonObject PodJson(string name) => JsonNode.Parse(KubernetesJson.Serialize(Pod(name)))!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync();
        _host.Dispose();
    }
}
