using System.Globalization;
using System.Text.Json.Nodes;
using DurableKube.Functions.Api;
using DurableKube.Functions.Tests.Support;
using DurableKube.Testing.Auth;
using DurableTask.Core.History;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace DurableKube.Functions.Tests;

/// <summary>
/// The dashboard in the Functions app: its files through the catch-all, its workflow view (history included) through
/// its own function and Durable client, and both behind the API's door when the app configures one.
/// </summary>
public sealed class DashboardFunctionTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);

    private readonly FunctionHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task The_catch_all_serves_the_dashboard_page_with_its_policy()
    {
        var function = ActivatorUtilities.CreateInstance<KubernetesApiFunction>(_harness.Services);
        var context = _harness.Request("GET", "/ui/", null);

        Assert.IsType<EmptyResult>(await function.RunAsync(context.Request));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
        Assert.Contains("script-src 'self'", context.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"app.js\">", FunctionHarness.ResponseText(context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workflow_view_reads_the_pods_instance_through_the_invocations_durable_client()
    {
        var api = ActivatorUtilities.CreateInstance<KubernetesApiFunction>(_harness.Services);
        var ns = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "demo" } };
        await api.RunAsync(_harness.Request("POST", "/api/v1/namespaces", KubernetesJson.Serialize(ns)).Request);
        var created = _harness.Request("POST", "/api/v1/namespaces/demo/pods", KubernetesJson.Serialize(FunctionHarness.Pod("web", "demo")));
        await api.RunAsync(created.Request);
        var uid = (string)JsonNode.Parse(FunctionHarness.ResponseText(created))!["metadata"]!["uid"]!;
        var instanceId = "pod-" + uid;
        _harness.Client.Setup(c => c.GetInstanceAsync(instanceId, true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("PodLifecycle", instanceId)
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Running,
                CreatedAt = DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
                LastUpdatedAt = DateTimeOffset.Parse("2026-12-03T12:01:00Z", System.Globalization.CultureInfo.InvariantCulture),
                SerializedCustomStatus = "{\"turn\":2,\"waitingFor\":\"signal PodSignal\",\"nextTimer\":null,\"detail\":null}",
            });
        SetUpHistory(_harness, instanceId);
        var function = ActivatorUtilities.CreateInstance<DashboardWorkflowFunction>(_harness.Services);
        var context = _harness.Request("GET", "/ui/api/workflow/pods/demo/web", null);

        Assert.IsType<EmptyResult>(await function.RunAsync(context.Request, _harness.Client.Object));

        Assert.Equal(200, context.Response.StatusCode);
        var body = JsonNode.Parse(FunctionHarness.ResponseText(context))!;
        Assert.Equal(instanceId, (string?)body["instanceId"]);
        Assert.Equal("Running", (string?)body["instance"]!["runtimeStatus"]);
        Assert.Equal("signal PodSignal", (string?)body["instance"]!["customStatus"]!["waitingFor"]);
        AssertHistory(body);
    }

    [Fact]
    public async Task With_its_door_on_the_workflow_view_without_a_token_is_a_401_Status()
    {
        using var harness = new FunctionHarness(TestDoor.Settings());
        await harness.StorePodAsync("web");
        var function = ActivatorUtilities.CreateInstance<DashboardWorkflowFunction>(harness.Services);

        foreach (var token in new string?[] { null, "not-a-token-anyone-has-0123" })
        {
            var context = harness.Request("GET", "/ui/api/workflow/pods/default/web", token: token);

            // The strict client is never asked: the door answers first.
            await function.RunAsync(context.Request, harness.Client.Object);

            Assert.Equal(401, context.Response.StatusCode);
            var body = JsonNode.Parse(FunctionHarness.ResponseText(context))!;
            Assert.Equal("Status", (string?)body["kind"]);
            Assert.Equal("Failure", (string?)body["status"]);
            Assert.Equal("Unauthorized", (string?)body["reason"]);
            Assert.Equal(401, (int?)body["code"]);
        }
    }

    [Fact]
    public async Task With_its_door_on_a_viewer_reads_the_workflow_and_its_history()
    {
        using var harness = new FunctionHarness(TestDoor.Settings());
        var pod = await harness.StorePodAsync("web");
        var instanceId = "pod-" + pod.Metadata.Uid;
        harness.Client.Setup(c => c.GetInstanceAsync(instanceId, true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("PodLifecycle", instanceId) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
        SetUpHistory(harness, instanceId);
        var function = ActivatorUtilities.CreateInstance<DashboardWorkflowFunction>(harness.Services);
        var context = harness.Request("GET", "/ui/api/workflow/pods/default/web", token: TestDoor.ViewerToken);

        await function.RunAsync(context.Request, harness.Client.Object);

        Assert.Equal(200, context.Response.StatusCode);
        var body = JsonNode.Parse(FunctionHarness.ResponseText(context))!;
        Assert.Equal("WorkflowView", (string?)body["kind"]);
        Assert.Equal(instanceId, (string?)body["instanceId"]);
        Assert.Equal("Running", (string?)body["instance"]!["runtimeStatus"]);
        AssertHistory(body);
    }

    [Theory]
    [InlineData("/ui/", "text/html; charset=utf-8")]
    [InlineData("/ui/app.js", "text/javascript; charset=utf-8")]
    [InlineData("/ui/style.css", "text/css; charset=utf-8")]
    public async Task With_its_door_on_the_files_are_served_without_a_token_and_the_data_is_not(string path, string contentType)
    {
        using var harness = new FunctionHarness(TestDoor.Settings());
        var function = ActivatorUtilities.CreateInstance<KubernetesApiFunction>(harness.Services);
        var file = harness.Request("GET", path);
        var data = harness.Request("GET", "/api/v1/namespaces/default/pods");

        await function.RunAsync(file.Request);
        await function.RunAsync(data.Request);

        Assert.Equal(200, file.Response.StatusCode);
        Assert.Equal(contentType, file.Response.ContentType);
        Assert.NotEmpty(((MemoryStream)file.Response.Body).ToArray());
        Assert.Equal(401, data.Response.StatusCode);
    }

    [Fact]
    public async Task The_workflow_view_of_a_missing_object_is_a_404_Status()
    {
        var function = ActivatorUtilities.CreateInstance<DashboardWorkflowFunction>(_harness.Services);
        var context = _harness.Request("GET", "/ui/api/workflow/pods/default/nowhere", null);

        await function.RunAsync(context.Request, _harness.Client.Object);

        Assert.Equal(404, context.Response.StatusCode);
        var body = JsonNode.Parse(FunctionHarness.ResponseText(context))!;
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("NotFound", (string?)body["reason"]);
    }

    /// <summary>The instance's history as the Functions host's client streams it (the Durable extension reads the task hub).</summary>
    private static void SetUpHistory(FunctionHarness harness, string instanceId) =>
        harness.Client.Setup(c => c.GetOrchestrationHistoryAsync(instanceId, It.IsAny<CancellationToken>())).ReturnsAsync(new List<HistoryEvent>
        {
            new ExecutionStartedEvent(-1, "{}") { Name = "PodLifecycle", Timestamp = Start },
            new OrchestratorStartedEvent(-1) { Timestamp = Start },
            new TaskScheduledEvent(0) { Name = "SyncPod", Timestamp = Start },
            new OrchestratorCompletedEvent(-1) { Timestamp = Start },
            new TaskCompletedEvent(-1, 0, "{}") { Timestamp = Start.AddSeconds(1) },
            new TimerCreatedEvent(1, Start.AddSeconds(30)) { Timestamp = Start.AddSeconds(2) },
        });

    /// <summary>The view lists the history without the episode markers, oldest first, a timer with its due time.</summary>
    private static void AssertHistory(JsonNode body)
    {
        var history = body["instance"]!["history"]!.AsArray();
        Assert.Equal(["ExecutionStarted", "TaskScheduled", "TaskCompleted", "TimerCreated"], history.Select(e => (string?)e!["type"]));
        Assert.Equal("SyncPod", (string?)history[1]!["name"]);
        Assert.Equal("fires at 2026-12-03T12:00:30Z", (string?)history[3]!["detail"]);
        Assert.Equal(new DateTimeOffset(Start.AddSeconds(2)), DateTimeOffset.Parse((string)history[3]!["timestamp"]!, CultureInfo.InvariantCulture));
    }
}
