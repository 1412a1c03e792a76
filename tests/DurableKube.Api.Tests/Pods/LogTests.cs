using DurableKube.Api.Tests.Support;
using DurableKube.Ports.Runtime;
using k8s.Models;

namespace DurableKube.Api.Tests.Pods;

public class LogTests
{
    private const string Log = "/api/v1/namespaces/default/pods/web/log";
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 1, TimeSpan.Zero);

    private static async Task<(ApiHost Api, ContainerRunId Run)> RunningAsync(Action<V1Pod>? change = null)
    {
        var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web", change: change);
        var run = new ContainerRunId(pod.Metadata.Uid, "app", 0);
        await api.SetPodAsync("web", p =>
        {
            p.Spec.NodeName = "node-1";
            p.Status.Phase = "Running";
            p.Status.ContainerStatuses = [new V1ContainerStatus
            {
                Name = "app", Image = "nginx", ImageID = string.Empty, Ready = true, RestartCount = 0,
                ContainerID = run.ToContainerId("fake"),
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = T0.UtcDateTime } },
            }];
        });
        api.Runtime.AddLog(run, new LogLine(T0, "stdout", "one", true), new LogLine(T0.AddSeconds(1), "stdout", "two", true), new LogLine(T0.AddSeconds(2), "stderr", "three", true));
        return (api, run);
    }

    [Fact]
    public async Task Logs_of_the_only_container_are_plain_text()
    {
        var (api, run) = await RunningAsync();
        await using var _ = api;

        var response = (await api.GetAsync(Log)).AssertOk();

        Assert.Equal("one\ntwo\nthree\n", response.Body);
        Assert.StartsWith("text/plain", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(run, Assert.Single(api.Runtime.Reads).Id);
    }

    [Fact]
    public async Task Options_reach_the_runtime_and_shape_the_output()
    {
        var (api, _) = await RunningAsync();
        await using var __ = api;

        var tail = (await api.GetAsync(Log + "?tailLines=2&timestamps=true")).AssertOk();
        var limited = (await api.GetAsync(Log + "?limitBytes=6")).AssertOk();
        var since = (await api.GetAsync(Log + "?sinceTime=2025-06-01T12:00:02Z")).AssertOk();

        Assert.Equal("2025-06-01T12:00:02.000000000Z two\n2025-06-01T12:00:03.000000000Z three\n", tail.Body);
        Assert.Equal(2, api.Runtime.Reads[0].Options.TailLines);
        Assert.Equal("one\ntw", limited.Body);
        Assert.Equal("two\nthree\n", since.Body);
    }

    [Fact]
    public async Task SinceSeconds_counts_back_from_now()
    {
        var (api, _) = await RunningAsync();
        await using var __ = api;

        (await api.GetAsync(Log + "?sinceSeconds=30")).AssertOk();

        Assert.Equal(api.Time.GetUtcNow().AddSeconds(-30), api.Runtime.Reads[0].Options.Since);
    }

    [Fact]
    public async Task Several_containers_need_a_container_name()
    {
        var (api, _) = await RunningAsync(p =>
        {
            p.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox" });
            p.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox" }];
        });
        await using var __ = api;

        var response = (await api.GetAsync(Log)).AssertStatus(400, "BadRequest");
        var unknown = (await api.GetAsync(Log + "?container=nope")).AssertStatus(400, "BadRequest");

        Assert.Equal("a container name must be specified for pod web, choose one of: [app sidecar] or one of the init containers: [init]", response.Message);
        Assert.Equal("container nope is not valid for pod web", unknown.Message);
        (await api.GetAsync(Log + "?container=app")).AssertOk();
    }

    [Fact]
    public async Task A_container_not_started_yet_is_waiting()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        await api.SetPodAsync("web", p =>
        {
            p.Spec.NodeName = "node-1";
            p.Status.ContainerStatuses = [new V1ContainerStatus
            {
                Name = "app", Image = "nginx", ImageID = string.Empty,
                State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
            }];
        });

        var response = (await api.GetAsync(Log)).AssertStatus(400, "BadRequest");

        Assert.Equal("container \"app\" in pod \"web\" is waiting to start: ContainerCreating", response.Message);
    }

    [Fact]
    public async Task Previous_needs_a_terminated_run_and_reads_it()
    {
        var (api, run) = await RunningAsync();
        await using var __ = api;

        var missing = (await api.GetAsync(Log + "?previous=true")).AssertStatus(400, "BadRequest");
        var last = run with { Attempt = 1 };
        await api.SetPodAsync("web", p => p.Status.ContainerStatuses[0].LastState = new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated { ExitCode = 1, ContainerID = run.ToContainerId("fake") },
        });
        await api.SetPodAsync("web", p => p.Status.ContainerStatuses[0].ContainerID = last.ToContainerId("fake"));
        api.Runtime.AddLog(last, new LogLine(T0, "stdout", "now", true));

        var previous = (await api.GetAsync(Log + "?previous=true")).AssertOk();

        Assert.Equal("previous terminated container \"app\" in pod \"web\" not found", missing.Message);
        Assert.Equal("one\ntwo\nthree\n", previous.Body);
        Assert.Equal("now\n", (await api.GetAsync(Log)).AssertOk().Body);
    }

    [Fact]
    public async Task A_pod_not_on_a_node_has_an_empty_log()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var response = (await api.GetAsync(Log)).AssertOk();

        Assert.Equal(string.Empty, response.Body);
    }

    [Theory]
    [InlineData("tailLines=-1", "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("limitBytes=0", "PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0")]
    [InlineData("sinceSeconds=0", "PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0")]
    public async Task Bad_options_are_422(string query, string message)
    {
        var (api, _) = await RunningAsync();
        await using var __ = api;

        var response = (await api.GetAsync(Log + "?" + query)).AssertStatus(422, "Invalid");

        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task Follow_streams_new_lines()
    {
        var (api, run) = await RunningAsync();
        await using var __ = api;
        var live = api.Runtime.Live(run);
        using var request = new HttpRequestMessage(HttpMethod.Get, Log + "?follow=true");
        using var response = await api.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await reader.ReadLineAsync();
        await reader.ReadLineAsync();
        await live.Writer.WriteAsync(new LogLine(T0.AddSeconds(9), "stdout", "later", true));
        var later = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        live.Writer.Complete();
        var end = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("one", first);
        Assert.Equal("later", later);
        Assert.Null(end);
    }

    [Fact]
    public async Task Logs_of_a_missing_pod_are_404()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.GetAsync(Log)).AssertStatus(404, "NotFound");
    }

    [Fact]
    public async Task Only_get_is_served_on_logs()
    {
        var (api, _) = await RunningAsync();
        await using var __ = api;

        (await api.SendAsync(HttpMethod.Post, Log, "{}")).AssertStatus(405, "MethodNotAllowed");
    }
}
