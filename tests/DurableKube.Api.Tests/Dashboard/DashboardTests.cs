using System.Net;
using System.Text.Json.Nodes;
using DurableKube.Api.Dashboard;
using DurableKube.Api.Tests.Support;
using DurableKube.Ports.Workflows;
using DurableKube.Testing.Auth;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace DurableKube.Api.Tests.Dashboard;

/// <summary>The dashboard's files under <c>/ui/</c> and its workflow view, through the API's handler.</summary>
public sealed class DashboardTests
{
    [Theory]
    [InlineData("/ui/", "text/html; charset=utf-8")]
    [InlineData("/ui/index.html", "text/html; charset=utf-8")]
    [InlineData("/ui/app.js", "text/javascript; charset=utf-8")]
    [InlineData("/ui/views/pod.js", "text/javascript; charset=utf-8")]
    [InlineData("/ui/style.css", "text/css; charset=utf-8")]
    public async Task Files_are_served_without_a_token_with_their_type_and_a_strict_policy(string path, string contentType)
    {
        await using var host = await ApiHost.StartAsync(TestDoor.Settings());

        using var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0);
    }

    [Fact]
    public async Task An_unchanged_file_is_a_304_for_its_etag()
    {
        await using var host = await ApiHost.StartAsync();
        using var first = await host.Client.GetAsync("/ui/app.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await host.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_path_without_its_slash_is_redirected_to_the_directory()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.GetAsync("/ui");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/ui/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_file_that_is_not_there_is_a_404_Status()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.GetAsync("/ui/nothing.js");

        Assert.Equal(404, response.Code);
        Assert.Equal("Status", (string?)response.Json["kind"]);
    }

    [Fact]
    public async Task A_write_to_a_file_is_405()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.SendAsync(HttpMethod.Post, "/ui/app.js", "{}");

        Assert.Equal(405, response.Code);
    }

    [Fact]
    public void Every_embedded_file_has_a_known_content_type()
    {
        var paths = DashboardAssets.Embedded.Paths.ToList();

        Assert.Contains("index.html", paths);
        Assert.Contains("timeline.js", paths);
        Assert.All(paths, p => Assert.NotEqual("application/octet-stream", DashboardAssets.ContentTypeOf(p)));
    }

    [Fact]
    public async Task The_workflow_view_needs_a_token()
    {
        await using var host = await ApiHost.StartAsync(TestDoor.Settings());

        var response = await host.GetAsync("/ui/api/workflow/pods/default/web");

        Assert.Equal(401, response.Code);
    }

    [Fact]
    public async Task A_viewer_reads_the_workflow_behind_a_pod()
    {
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);
        await using var host = await ApiHost.StartAsync(TestDoor.Settings(), services: s => s.AddSingleton(workflows.Object));
        var pod = await host.Registry.CreateAsync(Domain.Resources.ResourceTypes.Pods, new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        });
        var instanceId = "pod-" + pod.Metadata.Uid;
        var at = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        workflows.Setup(w => w.GetDetailsAsync(instanceId, DashboardHandler.HistoryLimit, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowInstanceDetails(instanceId, "PodLifecycle", WorkflowInstanceState.Running, "Running", at, at.AddMinutes(1),
                "{\"turn\":3,\"waitingFor\":\"signal PodSignal or timer\",\"nextTimer\":\"2026-12-03T12:02:00+00:00\",\"detail\":{\"containers\":[]}}",
                [new WorkflowHistoryEvent(at, "TaskScheduled", "SyncPod")]));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/api/workflow/pods/default/web");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestDoor.ViewerToken);
        using var response = await host.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(instanceId, (string?)body["instanceId"]);
        Assert.Equal("PodLifecycle", (string?)body["instance"]!["name"]);
        Assert.Equal("signal PodSignal or timer", (string?)body["instance"]!["customStatus"]!["waitingFor"]);
        Assert.Equal("SyncPod", (string?)body["instance"]!["history"]![0]!["name"]);
    }

    [Fact]
    public async Task A_missing_object_is_a_404_Status_and_its_workflow_is_not_asked()
    {
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);
        await using var host = await ApiHost.StartAsync(services: s => s.AddSingleton(workflows.Object));

        var response = await host.GetAsync("/ui/api/workflow/replicasets.apps/default/nowhere");

        Assert.Equal(404, response.Code);
        Assert.Equal("NotFound", (string?)response.Json["reason"]);
        Assert.Contains("replicasets.apps \"nowhere\" not found", (string?)response.Json["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ui/api/workflow/nothings/default/x")]
    [InlineData("/ui/api/workflow/pods/x")]
    [InlineData("/ui/api/workflow/nodes/default/x")]
    [InlineData("/ui/api/other")]
    public async Task A_workflow_path_the_router_does_not_know_is_a_404(string path)
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.GetAsync(path);

        Assert.Equal(404, response.Code);
    }

    [Fact]
    public async Task An_instance_that_does_not_exist_is_said_so()
    {
        var workflows = new Mock<IWorkflowClient>();
        await using var host = await ApiHost.StartAsync(services: s => s.AddSingleton(workflows.Object));
        await host.Registry.CreateAsync(Domain.Resources.ResourceTypes.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "quiet" } });

        var response = await host.GetAsync("/ui/api/workflow/namespaces/quiet");

        Assert.Equal(200, response.Code);
        Assert.StartsWith("ns-", (string?)response.Json["instanceId"], StringComparison.Ordinal);
        Assert.Null(response.Json["instance"]);
        Assert.Contains("no workflow instance", (string?)response.Json["message"], StringComparison.Ordinal);
    }
}
