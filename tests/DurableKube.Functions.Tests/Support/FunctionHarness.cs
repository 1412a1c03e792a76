using System.Text;
using DurableKube.Api;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Testing.Runtime;
using DurableKube.Testing.Store;
using DurableKube.Workflows;
using DurableKube.Workflows.Nodes;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Tests.Support;

/// <summary>
/// What the Functions host would hand the wrappers, minus the host: the shared services over the
/// in-memory store and queue and the fake runtime, a mocked <see cref="FunctionContext"/> whose
/// InstanceServices are those services, and a strict mocked <see cref="DurableTaskClient"/>.
/// </summary>
internal sealed class FunctionHarness : IDisposable
{
    public const string NodeName = "node-1";

    /// <param name="settings">Configuration on top of the harness's. The API is open (<c>Auth:Disabled</c>) unless these
    /// configure its door (any <c>Auth:</c> key), as the app's settings do in Azure.</param>
    public FunctionHarness(Dictionary<string, string?>? settings = null)
    {
        Store = new InMemoryObjectStore();
        var values = new Dictionary<string, string?> { ["Node:Name"] = NodeName };
        if (settings is null || !settings.Keys.Any(k => k.StartsWith("Auth:", StringComparison.Ordinal)))
        {
            values["Auth:Disabled"] = "true";
        }

        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IWorkQueue>(Queue);
        services.AddSingleton<IPoisonReporter>(Poison);
        services.AddSingleton<IObjectStore>(Store);
        services.AddSingleton<IContainerRuntime>(Runtime);
        services.AddNodeRuntime(new NodeRuntime(NodeName, Runtime));
        services.AddDurableKubeWorkflows(configuration);
        services.AddKubernetesApi(configuration);
        Services = services.BuildServiceProvider();

        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.InstanceServices).Returns(Services);
        context.SetupGet(c => c.CancellationToken).Returns(CancellationToken.None);
        context.SetupGet(c => c.InvocationId).Returns("test-invocation");
        Context = context.Object;
    }

    public InMemoryWorkQueue Queue { get; } = new();

    /// <summary>Gets the poison messages reported.</summary>
    public RecordingPoisonReporter Poison { get; } = new();

    public InMemoryObjectStore Store { get; }

    public FakeContainerRuntime Runtime { get; } = new();

    public ServiceProvider Services { get; }

    public FunctionContext Context { get; }

    public Mock<DurableTaskClient> Client { get; } = new(MockBehavior.Strict, "durablekube");

    public static V1Pod Pod(string name, string ns = "default") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sh", "-c", "sleep 3600"] }] },
    };

    /// <summary>Stores a pod as the API would have (uid, creation time, Pending status), and returns it as stored.</summary>
    public async Task<V1Pod> StorePodAsync(string name, string ns = "default", Action<V1Pod>? change = null)
    {
        var pod = Pod(name, ns);
        pod.Metadata.Uid = Guid.NewGuid().ToString();
        pod.Metadata.CreationTimestamp = DateTime.UtcNow;
        pod.Status = new V1PodStatus { Phase = "Pending" };
        change?.Invoke(pod);
        return (V1Pod)await Store.CreateAsync(ResourceTypes.Pods, pod);
    }

    /// <summary>Stores a Ready node, as the node agent registers it.</summary>
    public async Task StoreNodeAsync()
    {
        var node = NodeObject.Create(NodeName, await Runtime.DescribeNodeAsync(), DateTimeOffset.UtcNow);
        node.Metadata.Uid = Guid.NewGuid().ToString();
        await Store.CreateAsync(ResourceTypes.Nodes, node);
    }

    /// <summary>Builds a request as the ASP.NET Core integration hands it to the HTTP trigger.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="body">The body, if any.</param>
    /// <param name="contentType">The body's type.</param>
    /// <param name="token">A bearer token to send, if any.</param>
    public HttpContext Request(string method, string path, string? body = null, string contentType = "application/json", string? token = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 7071);
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        context.Request.Headers.Accept = "application/json";
        if (token is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    public static string ResponseText(HttpContext context)
    {
        var body = (MemoryStream)context.Response.Body;
        return Encoding.UTF8.GetString(body.ToArray());
    }

    public void Dispose() => Services.Dispose();
}
