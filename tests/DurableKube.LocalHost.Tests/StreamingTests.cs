using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using DurableKube.Testing;
using k8s;

namespace DurableKube.LocalHost.Tests;

/// <summary>kubectl exec, attach and port-forward, and the C# client's exec and port-forward, against the local host.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class StreamingTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Exec_returns_both_streams_and_the_exit_code()
    {
        var ns = await RunningPodAsync("exec", "shell", "sleep 3600");

        var result = await host.KubectlAsync("exec", "shell", "-n", ns, "--", "sh", "-c", "echo out $GREETING; echo err >&2; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out hello\n", result.StandardOutput);
        Assert.Contains("err\n", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("command terminated with exit code 3", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_with_stdin_pipes_it_to_the_command()
    {
        var ns = await RunningPodAsync("exec-i", "shell", "sleep 3600");

        var result = await ShellAsync($"printf 'one\\ntwo\\n' | kubectl --kubeconfig {host.Kubeconfig} exec -i shell -n {ns} -- sh -c 'cat; echo done'");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("one\ntwo\ndone\n", result.StandardOutput);
    }

    [Fact]
    public async Task Exec_with_a_terminal_shows_a_prompt_and_runs_a_command()
    {
        var ns = await RunningPodAsync("exec-it", "shell", "sleep 3600");

        // script gives kubectl a terminal; the input comes once the remote shell has started.
        var result = await ShellAsync(
            $"(sleep 3; printf 'echo from-the-tty $((6*7)); exit 4\\r') | script -q -e -c 'kubectl --kubeconfig {host.Kubeconfig} exec -it shell -n {ns} -- sh' /dev/null");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("# ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("from-the-tty 42", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("command terminated with exit code 4", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_with_a_terminal_gets_the_containers_terminal_with_the_callers_size()
    {
        var ns = await RunningPodAsync("attach-it", "term", "exec sh", stdin: true, tty: true);

        // kubectl's terminal (script's) is 30x100: kubectl sends that size (resize channel), which stty shows inside. What is
        // typed is echoed by the container's terminal and Enter ("\r") ends the line there.
        var result = await ShellAsync(
            $"(sleep 3; printf 'sleep 1; stty size; echo from-attach $((6*7))\\r'; sleep 1; printf 'exit 4\\r') | timeout 40 script -qfec 'stty rows 30 cols 100; kubectl --kubeconfig {host.Kubeconfig} attach -it term -n {ns}' /dev/null");

        Assert.True(result.ExitCode == 0, result.Output);
        // (The output is read line by line: the terminal's "\r" are gone.) stty and tty fail on anything but a terminal.
        Assert.True(result.StandardOutput.Contains("\n30 100\n", StringComparison.Ordinal), result.Output);
        Assert.Contains("from-attach 42\n", result.StandardOutput, StringComparison.Ordinal);
        var pod = await Eventually.WaitAsync(
            () => E2E.GetPodJsonAsync(host, ns, "term"),
            p => p.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("state").TryGetProperty("terminated", out _),
            Patience,
            "the shell to exit");
        Assert.Equal(4, pod.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("state").GetProperty("terminated").GetProperty("exitCode").GetInt32());
        Assert.Contains("from-attach 42", await host.KubectlOkAsync("logs", "term", "-n", ns), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_run_it_rm_gives_a_shell_and_its_exit_code_then_removes_the_pod()
    {
        var ns = E2E.UniqueNamespace("run-it");
        await E2E.CreateNamespaceAsync(host, ns);
        var kubectl = $"kubectl --kubeconfig {host.Kubeconfig} -n {ns}";

        var result = await ShellAsync(
            $"(until {kubectl} get pod shell -o jsonpath='{{.status.phase}}' 2>/dev/null | grep -q Running; do sleep 0.5; done; sleep 2; printf 'echo from-run $((6*7)) $(tty)\\r'; sleep 1; printf 'exit 3\\r') | timeout 50 script -qfec '{kubectl} run shell -it --rm --restart=Never --image=busybox --command -- sh' /dev/null");

        Assert.True(result.ExitCode == 3, result.Output);
        Assert.Matches(@"from-run 42 /dev/pts/\d+\n", result.StandardOutput);
        await Eventually.WaitAsync(() => host.KubectlAsync("get", "pod", "shell", "-n", ns), r => r.ExitCode != 0, Patience, "the pod to be removed");
    }

    [Fact]
    public async Task Exec_into_a_missing_container_is_refused()
    {
        var ns = await RunningPodAsync("exec-missing", "shell", "sleep 3600");

        var result = await host.KubectlAsync("exec", "shell", "-n", ns, "-c", "nope", "--", "true");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("container nope is not valid for pod shell", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_forward_reaches_a_python_server_in_the_pod()
    {
        var port = FreePort.Next();
        var ns = await RunningPodAsync("pf", "web", $"exec python3 -m http.server --bind \"$POD_IP\" {port}");
        await WaitForListenerAsync(ns, "web", port);

        using var forward = StartKubectl("port-forward", "-n", ns, "pod/web", $":{port}");
        var local = await forward.WaitForAsync(new Regex(@"Forwarding from 127\.0\.0\.1:(\d+) ->"), Patience);
        // A new connection per request, as each of kubectl's forwarded connections carries one: the server is HTTP/1.0
        // and closes each one, yet .NET's pool would send the next request on a connection whose close it has not read
        // yet (even with "Connection: close"), and that request meets the reset of a socket kubectl has closed.
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(20) };
        for (var i = 0; i < 10; i++)
        {
            string body;
            try
            {
                body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{local}/"));
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"request {i + 1} through the forward failed; kubectl (exited: {forward.Exited}) said: {forward.Output}", e);
            }

            Assert.Contains("Directory listing", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Attach_shows_what_the_container_prints()
    {
        var ns = await RunningPodAsync("attach", "ticker", "sleep 2; i=0; while [ $i -lt 8 ]; do echo tick $i; i=$((i+1)); sleep 0.5; done");

        var result = await host.KubectlAsync("attach", "ticker", "-n", ns);

        Assert.Matches(@"tick [1-7]\n", result.StandardOutput);
        Assert.DoesNotContain("tick 0\ntick 0", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_with_stdin_writes_to_a_container_started_with_stdin()
    {
        var ns = await RunningPodAsync("attach-i", "reader", "while read line; do echo \"got $line\"; done", stdin: true);

        var result = await ShellAsync(
            $"(sleep 2; printf 'hello\\n'; sleep 3) | timeout 15 kubectl --kubeconfig {host.Kubeconfig} attach -i reader -n {ns}");

        Assert.Contains("got hello", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("got hello", await host.KubectlOkAsync("logs", "reader", "-n", ns), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CSharp_client_execs_over_a_WebSocket()
    {
        var ns = await RunningPodAsync("cs-exec", "shell", "sleep 3600");
        using var client = host.CreateClient();
        using var timeout = new CancellationTokenSource(Patience);

        using var socket = await client.WebSocketNamespacedPodExecAsync(
            "shell", ns, ["sh", "-c", "echo out; echo err >&2; exit 5"], "app", stderr: true, stdin: false, stdout: true, tty: false, cancellationToken: timeout.Token);
        var channels = await ReadChannelsAsync(socket, timeout.Token);

        Assert.Equal("v4.channel.k8s.io", socket.SubProtocol);
        Assert.Equal("out\n", channels.GetValueOrDefault((byte)1));
        Assert.Equal("err\n", channels.GetValueOrDefault((byte)2));
        var status = System.Text.Json.JsonDocument.Parse(channels[3]).RootElement;
        Assert.Equal("NonZeroExitCode", status.GetProperty("reason").GetString());
        Assert.Equal("5", status.GetProperty("details").GetProperty("causes")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_CSharp_client_forwards_a_port_over_a_WebSocket()
    {
        var port = FreePort.Next();
        var ns = await RunningPodAsync("cs-pf", "web", $"exec python3 -m http.server --bind \"$POD_IP\" {port}");
        await WaitForListenerAsync(ns, "web", port);
        using var client = host.CreateClient();
        using var timeout = new CancellationTokenSource(Patience);

        var response = await Eventually.WaitAsync(
            async () =>
            {
                using var socket = await client.WebSocketNamespacedPodPortForwardAsync("web", ns, [port], cancellationToken: timeout.Token);
                var request = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\nHost: web\r\n\r\n");
                await socket.SendAsync((byte[])[0, .. request], WebSocketMessageType.Binary, true, timeout.Token);
                var channels = await ReadChannelsAsync(socket, timeout.Token, skipPortPrefix: true);
                return channels.GetValueOrDefault((byte)0) ?? string.Empty;
            },
            text => text.StartsWith("HTTP/1.0 200", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the forwarded request to be answered");

        Assert.Contains("Directory listing", response, StringComparison.Ordinal);
    }

    private async Task<string> RunningPodAsync(string prefix, string name, string script, bool stdin = false, bool tty = false)
    {
        var ns = E2E.UniqueNamespace(prefix);
        await E2E.CreateNamespaceAsync(host, ns);
        var container = name is "web" or "ticker" or "reader" ? name : "app";
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{name}}
            spec:
              restartPolicy: Never
              containers:
              - name: {{container}}
                image: busybox
                stdin: {{(stdin ? "true" : "false")}}
                tty: {{(tty ? "true" : "false")}}
                command: ["sh", "-c", {{System.Text.Json.JsonSerializer.Serialize(script)}}]
                env:
                - name: GREETING
                  value: hello
                - name: POD_IP
                  valueFrom:
                    fieldRef:
                      fieldPath: status.podIP
            """));
        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, name), s => s == "Running", Patience, $"{name} to run");
        return ns;
    }

    /// <summary>Waits until the pod's server accepts connections on its pod IP (python takes a moment to start).</summary>
    private async Task WaitForListenerAsync(string ns, string name, int port)
    {
        var pod = await E2E.GetPodJsonAsync(host, ns, name);
        var address = System.Net.IPAddress.Parse(pod.GetProperty("status").GetProperty("podIP").GetString()!);
        await Eventually.WaitAsync(
            async () =>
            {
                using var client = new System.Net.Sockets.TcpClient();
                try
                {
                    await client.ConnectAsync(address, port);
                    return true;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return false;
                }
            },
            listening => listening,
            Patience,
            $"{name} to listen on {address}:{port}");
    }

    private static Task<CommandResult> ShellAsync(string command) =>
        LocalHostFixture.RunAsync("bash", ["-c", command], TimeSpan.FromMinutes(1));

    private static async Task<Dictionary<byte, string>> ReadChannelsAsync(WebSocket socket, CancellationToken cancellationToken, bool skipPortPrefix = false)
    {
        var channels = new Dictionary<byte, StringBuilder>();
        var seen = new HashSet<byte>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var bytes = message.ToArray();
            message.SetLength(0);
            if (bytes.Length == 0)
            {
                continue;
            }

            var skip = skipPortPrefix && seen.Add(bytes[0]) ? 2 : 0;
            var text = channels.TryGetValue(bytes[0], out var builder) ? builder : channels[bytes[0]] = new StringBuilder();
            text.Append(Encoding.UTF8.GetString(bytes, 1 + Math.Min(skip, bytes.Length - 1), Math.Max(0, bytes.Length - 1 - skip)));
            if (skipPortPrefix && bytes[0] == 0 && text.ToString().Contains("</html>", StringComparison.Ordinal))
            {
                break;
            }
        }

        return channels.ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
    }

    private KubectlProcess StartKubectl(params string[] arguments) => new(host.Kubeconfig, arguments);
}
