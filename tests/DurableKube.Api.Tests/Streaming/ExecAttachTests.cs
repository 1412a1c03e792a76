using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Ports.Runtime;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Api.Tests.Streaming;

/// <summary>exec and attach: the API server's checks before the upgrade, and the channel protocol after it.</summary>
public sealed class ExecAttachTests
{
    private const string Exec = "/api/v1/namespaces/default/pods/web/exec";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Exec_over_v5_streams_stdout_and_stderr_and_reports_the_exit_code_as_the_kubelet_does()
    {
        await using var api = await ApiHost.StartAsync();
        var run = await RunningPodAsync(api);
        api.Runtime.OnExec = (_, _) => new FakeExec(3, "out\n", "err\n");

        var (protocol, messages) = await ConverseAsync(api, Exec + "?command=sh&command=-c&command=exit%203&stdout=true&stderr=true", "v5.channel.k8s.io", "v4.channel.k8s.io");

        Assert.Equal("v5.channel.k8s.io", protocol);
        Assert.Equal("out\n", Text(messages, 1));
        Assert.Equal("err\n", Text(messages, 2));
        var status = JsonNode.Parse(Text(messages, 3))!;
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        Assert.Equal("ExitCode", (string?)status["details"]!["causes"]![0]!["reason"]);
        Assert.Equal("3", (string?)status["details"]!["causes"]![0]!["message"]);
        var (id, spec) = Assert.Single(api.Runtime.Execs);
        Assert.Equal(run, id);
        Assert.Equal(["sh", "-c", "exit 3"], spec.Command);
        Assert.False(spec.Tty);
    }

    [Fact]
    public async Task A_command_that_succeeds_ends_with_a_Success_status_on_v4()
    {
        await using var api = await ApiHost.StartAsync();
        await RunningPodAsync(api);
        api.Runtime.OnExec = (_, _) => new FakeExec(0, "hi\n");

        var (protocol, messages) = await ConverseAsync(api, Exec + "?command=echo&command=hi&stdout=true", "v4.channel.k8s.io");

        Assert.Equal("v4.channel.k8s.io", protocol);
        Assert.Equal("hi\n", Text(messages, 1));
        Assert.Equal("{\"metadata\":{},\"status\":\"Success\"}", Text(messages, 3));
    }

    [Fact]
    public async Task The_default_container_annotation_picks_the_container()
    {
        await using var api = await ApiHost.StartAsync();
        var run = await RunningPodAsync(api, second: true, annotate: "sidecar");
        api.Runtime.OnExec = (_, _) => new FakeExec(0);

        await ConverseAsync(api, Exec + "?command=true&stdout=true", "v4.channel.k8s.io");

        Assert.Equal(run with { ContainerName = "sidecar" }, Assert.Single(api.Runtime.Execs).Id);
    }

    [Fact]
    public async Task A_command_that_cannot_start_ends_with_an_internal_error_on_the_error_channel()
    {
        await using var api = await ApiHost.StartAsync();
        var run = await RunningPodAsync(api);
        api.Runtime.OnExec = (_, _) => new FakeExec(0);
        api.Runtime.Exit(run, 0);

        var (_, messages) = await ConverseAsync(api, Exec + "?command=true&stdout=true", "v4.channel.k8s.io");

        var status = JsonNode.Parse(Text(messages, 3))!;
        Assert.Equal(("Failure", "InternalError", 500), ((string?)status["status"], (string?)status["reason"], (int?)status["code"]));
        Assert.StartsWith("Internal error occurred: error executing command in container: ", (string?)status["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/pods/nope/exec?command=true&stdout=true", HttpStatusCode.NotFound, "pods \"nope\" not found")]
    [InlineData(Exec + "?command=true&stdout=true&container=db", HttpStatusCode.BadRequest, "container db is not valid for pod web")]
    [InlineData(Exec + "?stdout=true", HttpStatusCode.BadRequest, "you must specify at least 1 command")]
    [InlineData(Exec + "?command=true", HttpStatusCode.BadRequest, "you must specify at least one of stdin, stdout, stderr")]
    public async Task Requests_the_API_server_refuses_answer_a_Status_before_the_upgrade(string url, HttpStatusCode code, string message)
    {
        await using var api = await ApiHost.StartAsync();
        await RunningPodAsync(api);

        var status = await RefusedAsync(api, url);

        Assert.Equal(((int)code, message), (status.Code, status.Message));
    }

    [Fact]
    public async Task A_container_that_is_not_running_is_not_found_as_the_kubelet_says()
    {
        await using var api = await ApiHost.StartAsync();
        await RunningPodAsync(api);
        await api.SetPodAsync("web", p => p.Status.ContainerStatuses[0].State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } });

        var status = await RefusedAsync(api, Exec + "?command=true&stdout=true");

        Assert.Equal((400, "container not found (\"app\")"), (status.Code, status.Message));
    }

    [Fact]
    public async Task A_request_without_an_upgrade_is_told_to_upgrade()
    {
        await using var api = await ApiHost.StartAsync();
        await RunningPodAsync(api);

        var response = await api.PostAsync(Exec + "?command=true&stdout=true", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("Upgrade request required", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subprotocol_the_server_does_not_speak_is_not_upgraded()
    {
        await using var api = await ApiHost.StartAsync();
        await RunningPodAsync(api);

        await Assert.ThrowsAnyAsync<Exception>(() => ConverseAsync(api, Exec + "?command=true&stdout=true", "v9.channel.k8s.io"));
        Assert.Empty(api.Runtime.Execs);
    }

    [Theory]
    [InlineData("exec?command=true&stdout=true")]
    [InlineData("attach?stdout=true")]
    [InlineData("portforward?ports=80")]
    public async Task A_host_that_cannot_upgrade_says_so(string subresource)
    {
        await using var api = await ApiHost.StartAsync(new Dictionary<string, string?> { ["KubernetesApi:Streaming"] = "false" });
        await RunningPodAsync(api);

        var status = await RefusedAsync(api, "/api/v1/namespaces/default/pods/web/" + subresource);

        Assert.Equal(400, status.Code);
        Assert.Contains("the Azure Functions host cannot give; use the local host", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_to_a_runtime_that_cannot_attach_reports_it_on_the_error_channel()
    {
        await using var api = await ApiHost.StartAsync();
        await RunningPodAsync(api);

        var (_, messages) = await ConverseAsync(api, "/api/v1/namespaces/default/pods/web/attach?stdout=true", "v4.channel.k8s.io");

        Assert.Contains("cannot attach", Text(messages, 3), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_with_stdin_to_a_container_without_stdin_is_refused()
    {
        await using var api = await ApiHost.StartAsync();
        await RunningPodAsync(api);

        var status = await RefusedAsync(api, "/api/v1/namespaces/default/pods/web/attach?stdin=true&stdout=true");

        Assert.Equal(400, status.Code);
        Assert.Contains("stdin: true", status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"Width\":120,\"Height\":40}", 120, 40)]
    [InlineData("{\"width\":80,\"height\":24}", 80, 24)]
    public void A_resize_message_reads_width_and_height(string json, int width, int height)
    {
        Assert.Equal(((ushort)width, (ushort)height), Api.Streaming.PodStreamHandler.ParseSize(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("{\"Width\":-1,\"Height\":40}")]
    [InlineData("not json")]
    public void A_resize_message_that_makes_no_sense_is_ignored(string json)
    {
        Assert.Null(Api.Streaming.PodStreamHandler.ParseSize(Encoding.UTF8.GetBytes(json)));
    }

    internal static async Task<ContainerRunId> RunningPodAsync(ApiHost api, bool second = false, string? annotate = null)
    {
        var pod = await api.CreatePodAsync("web", change: p =>
        {
            if (second)
            {
                p.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox" });
            }

            if (annotate is not null)
            {
                p.Metadata.Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/default-container"] = annotate };
            }
        });
        var run = new ContainerRunId(pod.Metadata.Uid, "app", 0);
        var names = pod.Spec.Containers.Select(c => c.Name).ToList();
        foreach (var name in names)
        {
            await api.Runtime.StartContainerAsync(new ContainerLaunch(run with { ContainerName = name }, "default", "web", "busybox", ["sleep", "300"], [], null));
        }

        await api.SetPodAsync("web", p =>
        {
            p.Spec.NodeName = "node-1";
            p.Status.Phase = "Running";
            p.Status.PodIP = "127.0.0.1";
            p.Status.ContainerStatuses = [.. names.Select(name => new V1ContainerStatus
            {
                Name = name, Image = "busybox", ImageID = string.Empty, Ready = true, RestartCount = 0,
                ContainerID = (run with { ContainerName = name }).ToContainerId("fake"),
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } },
            })];
        });
        return run;
    }

    internal static async Task<(string? Protocol, List<(byte Channel, byte[] Data)> Messages)> ConverseAsync(ApiHost api, string url, params string[] protocols)
    {
        var client = api.CreateWebSocketClient();
        foreach (var protocol in protocols)
        {
            client.SubProtocols.Add(protocol);
        }

        using var timeout = new CancellationTokenSource(Patience);
        using var socket = await client.ConnectAsync(new Uri("ws://localhost" + url), timeout.Token);
        var messages = new List<(byte, byte[])>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                break;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var bytes = message.ToArray();
                message.SetLength(0);
                messages.Add((bytes[0], bytes[1..]));
            }
        }

        return (socket.SubProtocol, messages);
    }

    /// <summary>Sends the request as plain HTTP: what the API server checks before an upgrade answers the same way.</summary>
    internal static async Task<(int Code, string Message)> RefusedAsync(ApiHost api, string url)
    {
        var response = await api.GetAsync(url);
        var node = JsonNode.Parse(response.Body)!;
        Assert.Equal((int)response.Status, (int)node["code"]!);
        return ((int)node["code"]!, (string)node["message"]!);
    }

    private static string Text(List<(byte Channel, byte[] Data)> messages, byte channel) =>
        string.Concat(messages.Where(m => m.Channel == channel).Select(m => Encoding.UTF8.GetString(m.Data)));
}
