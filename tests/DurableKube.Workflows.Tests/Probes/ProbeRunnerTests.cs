using System.Net;
using System.Net.Sockets;
using System.Text;
using DurableKube.Domain.Kubelet.Probes;
using DurableKube.Ports.Runtime;
using DurableKube.Testing.Runtime;
using DurableKube.Workflows.Probes;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Probes;

/// <summary>The handlers against real sockets on 127.0.0.1 and the fake runtime's exec, with the kubelet's messages.</summary>
public sealed class ProbeRunnerTests : IDisposable
{
    private readonly ProbeRunner _runner = new();
    private readonly FakeContainerRuntime _runtime = new();
    private readonly List<TcpListener> _listeners = [];

    public void Dispose()
    {
        _runner.Dispose();
        foreach (var listener in _listeners)
        {
            listener.Stop();
            listener.Dispose();
        }
    }

    /// <summary>Serves each connection with the answer the handler gives for the request's first line and headers.</summary>
    private int Serve(Func<string, Task<string>> answer)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _listeners.Add(listener);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var request = new StringBuilder();
                        var buffer = new byte[4096];
                        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            var read = await stream.ReadAsync(buffer);
                            if (read == 0)
                            {
                                return;
                            }

                            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        }

                        var response = await answer(request.ToString());
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                    }
                });
            }
        });
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Response(int code, string body = "", string? location = null) =>
        $"HTTP/1.1 {code} X\r\nContent-Length: {body.Length}\r\nConnection: close\r\n{(location is null ? string.Empty : $"Location: {location}\r\n")}\r\n{body}";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task<ProbeObservation> RunAsync(V1Probe probe, V1Container? container = null, string podIP = "127.0.0.1") =>
        _runner.RunAsync(new ProbeCall(probe, container ?? new V1Container { Name = "app" }, podIP, new ContainerRunId("uid", "app", 0), _runtime));

    private static V1Probe Http(IntOrString port, string path = "/healthz", int timeout = 1) =>
        new() { HttpGet = new V1HTTPGetAction { Port = port, Path = path, Scheme = "HTTP" }, TimeoutSeconds = timeout };

    [Theory]
    [InlineData(200, ProbeResult.Success, "fine")]
    [InlineData(204, ProbeResult.Success, "")]
    [InlineData(399, ProbeResult.Success, "Probe terminated redirects, Response body: fine")]
    [InlineData(400, ProbeResult.Failure, "HTTP probe failed with statuscode: 400")]
    [InlineData(500, ProbeResult.Failure, "HTTP probe failed with statuscode: 500")]
    public async Task HttpGet_succeeds_from_200_to_399(int code, ProbeResult result, string output)
    {
        var port = Serve(_ => Task.FromResult(Response(code, code == 204 ? string.Empty : "fine")));

        var observation = await RunAsync(Http(port));

        Assert.Equal((result, output, false), (observation.Result, observation.Output, observation.Errored));
    }

    [Fact]
    public async Task HttpGet_sends_the_kubelets_headers_and_the_probes_own_to_the_pod_ip_and_named_port()
    {
        var seen = new TaskCompletionSource<string>();
        var port = Serve(request => { seen.TrySetResult(request); return Task.FromResult(Response(200)); });
        var probe = Http("web");
        probe.HttpGet.HttpHeaders = [new V1HTTPHeader { Name = "X-Probe", Value = "yes" }, new V1HTTPHeader { Name = "Host", Value = "example.test" }];
        var container = new V1Container { Name = "app", Ports = [new V1ContainerPort { Name = "web", ContainerPort = port }] };

        var observation = await RunAsync(probe, container);

        Assert.Equal(ProbeResult.Success, observation.Result);
        var request = await seen.Task;
        Assert.StartsWith("GET /healthz HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains("User-Agent: kube-probe/1.33\r\n", request, StringComparison.Ordinal);
        Assert.Contains("Accept: */*\r\n", request, StringComparison.Ordinal);
        Assert.Contains("X-Probe: yes\r\n", request, StringComparison.Ordinal);
        Assert.Contains("Host: example.test\r\n", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_follows_a_redirect_to_the_same_host_and_warns_of_one_elsewhere()
    {
        var port = Serve(request => Task.FromResult(request.StartsWith("GET /old ", StringComparison.Ordinal)
            ? Response(302, location: "/new")
            : request.StartsWith("GET /away ", StringComparison.Ordinal)
                ? Response(301, "moved", location: "http://127.0.0.2:1/elsewhere")
                : Response(request.StartsWith("GET /new ", StringComparison.Ordinal) ? 500 : 404)));

        var followed = await RunAsync(Http(port, "/old"));
        var elsewhere = await RunAsync(Http(port, "/away"));

        Assert.Equal((ProbeResult.Failure, "HTTP probe failed with statuscode: 500"), (followed.Result, followed.Output));
        Assert.Equal((ProbeResult.Success, true, "Probe terminated redirects, Response body: moved"), (elsewhere.Result, elsewhere.Warning, elsewhere.Output));
    }

    [Fact]
    public async Task HttpGet_words_a_refused_connection_and_a_timeout_as_the_kubelet()
    {
        var closed = FreePort();
        var slow = Serve(async _ => { await Task.Delay(TimeSpan.FromSeconds(5)); return Response(200); });

        // A generous timeout for the refusal: on a loaded machine even a refused connect may take more than a second.
        var refused = await RunAsync(Http(closed, timeout: 10));
        var timedOut = await RunAsync(Http(slow));

        Assert.Equal($"Get \"http://127.0.0.1:{closed}/healthz\": dial tcp 127.0.0.1:{closed}: connect: connection refused", refused.Output);
        Assert.Equal($"Get \"http://127.0.0.1:{slow}/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", timedOut.Output);
        Assert.Equal((ProbeResult.Failure, ProbeResult.Failure), (refused.Result, timedOut.Result));
    }

    [Theory]
    [InlineData("metrics", "strconv.Atoi: parsing \"metrics\": invalid syntax")]
    [InlineData("0", "invalid port number: 0")]
    public async Task A_port_that_does_not_resolve_is_an_error_the_worker_throws_away(string port, string message)
    {
        var observation = await RunAsync(Http(port));

        Assert.Equal((true, message), (observation.Errored, observation.Output));
    }

    [Fact]
    public async Task TcpSocket_connects_within_the_timeout()
    {
        var open = Serve(_ => Task.FromResult(string.Empty));
        var closed = FreePort();

        // A generous timeout: a loaded machine may take more than a second to accept (the timeout is tested elsewhere).
        var ok = await RunAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = open }, TimeoutSeconds = 10 });
        var refused = await RunAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = closed }, TimeoutSeconds = 1 });

        Assert.Equal(ProbeResult.Success, ok.Result);
        Assert.Equal((ProbeResult.Failure, $"dial tcp 127.0.0.1:{closed}: connect: connection refused"), (refused.Result, refused.Output));
    }

    [Fact]
    public async Task Exec_runs_in_the_container_and_its_exit_code_decides()
    {
        var run = await _runtime.StartContainerAsync(new ContainerLaunch(new ContainerRunId("uid", "app", 0), "default", "p", "busybox", ["sleep"], [], null));
        _runtime.OnExec = (_, spec) => spec.Command[1] switch
        {
            "healthy" => new FakeExec(0, "ok\n"),
            "slow" => new FakeExec(0, Delay: TimeSpan.FromSeconds(5)),
            _ => new FakeExec(1, Stderr: "cat: missing: No such file or directory\n"),
        };
        V1Probe Exec(string file) => new() { Exec = new V1ExecAction { Command = ["cat", file] }, TimeoutSeconds = 1 };

        var healthy = await RunAsync(Exec("healthy"));
        var missing = await RunAsync(Exec("missing"));
        var slow = await RunAsync(Exec("slow"));

        Assert.Equal((ProbeResult.Success, "ok\n"), (healthy.Result, healthy.Output));
        Assert.Equal((ProbeResult.Failure, "cat: missing: No such file or directory\n"), (missing.Result, missing.Output));
        Assert.Equal((ProbeResult.Failure, "command \"cat slow\" timed out"), (slow.Result, slow.Output));
        Assert.Equal(run.Id, _runtime.Execs[0].Id);
    }

    [Fact]
    public async Task Exec_on_a_runtime_that_cannot_is_an_error_not_a_failure()
    {
        var observation = await RunAsync(new V1Probe { Exec = new V1ExecAction { Command = ["true"] }, TimeoutSeconds = 1 });

        Assert.True(observation.Errored);
    }

    [Fact]
    public async Task Grpc_against_nothing_says_it_could_not_connect()
    {
        var closed = FreePort();

        var observation = await RunAsync(new V1Probe { Grpc = new V1GRPCAction { Port = closed }, TimeoutSeconds = 1 });

        Assert.Equal(ProbeResult.Failure, observation.Result);
        Assert.StartsWith($"error: failed to connect service at \"127.0.0.1:{closed}\": ", observation.Output, StringComparison.Ordinal);
    }
}
