using System.Text.Json.Nodes;
using DurableKube.Api;
using DurableKube.Functions.Api;
using DurableKube.Functions.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Tests;

/// <summary>The catch-all HTTP trigger over a real <see cref="KubernetesApi"/>, the in-memory store and the fake runtime.</summary>
public sealed class KubernetesApiFunctionTests : IDisposable
{
    private readonly FunctionHarness _harness = new();
    private readonly KubernetesApiFunction _function;

    // As the worker makes it: a new instance per invocation, constructor arguments from DI.
    public KubernetesApiFunctionTests() => _function = ActivatorUtilities.CreateInstance<KubernetesApiFunction>(_harness.Services);

    public void Dispose() => _harness.Dispose();

    private async Task<(int Code, JsonObject Body)> SendAsync(string method, string path, object? body = null)
    {
        var context = _harness.Request(method, path, body is null ? null : KubernetesJson.Serialize(body));
        var result = await _function.RunAsync(context.Request);
        Assert.IsType<EmptyResult>(result);
        return (context.Response.StatusCode, JsonNode.Parse(FunctionHarness.ResponseText(context))!.AsObject());
    }

    [Fact]
    public async Task Get_version_answers_with_the_version_document()
    {
        var (code, body) = await SendAsync("GET", "/version");

        Assert.Equal(StatusCodes.Status200OK, code);
        Assert.False(string.IsNullOrEmpty((string?)body["gitVersion"]));
        Assert.NotNull(body["major"]);
    }

    [Fact]
    public async Task A_pod_created_through_the_function_is_read_back_through_it()
    {
        var ns = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "demo" } };
        Assert.Equal(201, (await SendAsync("POST", "/api/v1/namespaces", ns)).Code);

        var (created, createdBody) = await SendAsync("POST", "/api/v1/namespaces/demo/pods", FunctionHarness.Pod("web", "demo"));
        var (read, readBody) = await SendAsync("GET", "/api/v1/namespaces/demo/pods/web");

        Assert.Equal(201, created);
        Assert.Equal(200, read);
        Assert.Equal("Pod", (string?)readBody["kind"]);
        Assert.Equal("web", (string?)readBody["metadata"]!["name"]);
        var uid = (string?)createdBody["metadata"]!["uid"];
        Assert.False(string.IsNullOrEmpty(uid));
        Assert.Equal(uid, (string?)readBody["metadata"]!["uid"]);
        Assert.Equal((string?)createdBody["metadata"]!["resourceVersion"], (string?)readBody["metadata"]!["resourceVersion"]);

        // The store queued the change the queue trigger will dispatch.
        Assert.Contains(_harness.Queue.Pending, c => c.Resource == "pods" && c.Name == "web" && c.Uid == uid);
    }

    [Fact]
    public async Task A_missing_pod_is_a_404_Status()
    {
        var (code, body) = await SendAsync("GET", "/api/v1/namespaces/default/pods/nowhere");

        Assert.Equal(404, code);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal("NotFound", (string?)body["reason"]);
        Assert.Equal(404, (int?)body["code"]);
    }
}
