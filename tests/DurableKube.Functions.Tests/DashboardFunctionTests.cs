using System.Globalization;
using System.Text.Json.Nodes;
using DurableKube.Functions.Api;
using DurableKube.Functions.Tests.Support;
using DurableTask.Core.History;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace DurableKube.Functions.Tests;

/// <summary>The dashboard in the Functions app: its files through the catch-all, its workflow view (history included) through its own function and Durable client.</summary>
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
