using System.Globalization;
using System.Text.Json;
using DurableKube.Testing;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// Liveness, readiness and startup probes with the real kubectl: httpGet probes against a python3 server in the pod,
/// which binds the pod's IP (<c>status.podIP</c> through the downward API) and answers each path with a fixed code or
/// by whether a file the test creates exists.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ProbesWalkthroughTests(LocalHostFixture host)
{
    private const string Server = """
        import http.server, os, sys
        routes = dict(arg.split("=", 1) for arg in sys.argv[2:])
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                route = routes.get(self.path, "404")
                code = int(route) if route.isdigit() else (200 if os.path.exists(route) else 503)
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"%d\n" % code)
            def log_message(self, *args):
                pass
        http.server.HTTPServer((os.environ["POD_IP"], int(sys.argv[1])), Handler).serve_forever()
        """;

    private string ServerScript()
    {
        var path = Path.Combine(host.Scratch, "probe_server.py");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Server.Replace("\r", string.Empty, StringComparison.Ordinal));
        }

        return path;
    }

    /// <summary>A pod whose one container serves the routes on a free port, with the probes given (YAML, indented under the container).</summary>
    private string PodYaml(string name, int port, string routes, string probes) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: app
            image: python:3
            command: ["python3", "{ServerScript()}", "{port}", {routes}]
            env:
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            ports:
            - name: http
              containerPort: {port}
        {probes}
        """;

    private static (string Ready, int Restarts, string Status) Columns(string line)
    {
        var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (cells[1], int.Parse(cells[3], CultureInfo.InvariantCulture), cells[2]);
    }

    private async Task<(string Ready, int Restarts, string Status)> RowAsync(string ns, string name) =>
        Columns(await host.KubectlOkAsync("get", "pod", name, "-n", ns, "--no-headers"));

    [Fact]
    public async Task The_READMEs_probes_example_is_0_1_Running_until_its_readiness_probe_passes_then_1_1()
    {
        // examples/probes.yaml as the README's walkthrough applies it: startup, liveness and readiness probes on one server.
        var ns = E2E.UniqueNamespace("probes-example");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Path.Combine(RepositoryRoot.Path, "examples", "probes.yaml"));

        var row = await Eventually.WaitAsync(() => RowAsync(ns, "probed"), r => r.Ready == "1/1", TimeSpan.FromSeconds(90), "READY 1/1");
        Assert.Equal((0, "Running"), (row.Restarts, row.Status));

        // Ready only once /ready answered 200, which it does 5 s after the container started (READY 0/1 until then).
        var status = (await E2E.GetPodJsonAsync(host, ns, "probed")).GetProperty("status");
        var container = status.GetProperty("containerStatuses")[0];
        Assert.True(container.GetProperty("started").GetBoolean());
        Assert.True(container.GetProperty("ready").GetBoolean());
        var started = container.GetProperty("state").GetProperty("running").GetProperty("startedAt").GetDateTimeOffset();
        var ready = status.GetProperty("conditions").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "Ready");
        Assert.Equal("True", ready.GetProperty("status").GetString());
        var readyAfter = ready.GetProperty("lastTransitionTime").GetDateTimeOffset() - started;
        Assert.True(readyAfter >= TimeSpan.FromSeconds(4), $"Ready {readyAfter.TotalSeconds} s after the container started; its /ready answers 503 for 5 s");
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task A_pod_failing_its_httpGet_liveness_probe_is_restarted_with_back_off()
    {
        var ns = E2E.UniqueNamespace("liveness");
        await E2E.CreateNamespaceAsync(host, ns);
        var yaml = PodYaml("sick", FreePort.Next(), "\"/healthz=500\"", """
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: http
                  periodSeconds: 1
                  failureThreshold: 2
            """);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, yaml));

        var row = await Eventually.WaitAsync(() => RowAsync(ns, "sick"), r => r.Restarts >= 3, TimeSpan.FromSeconds(90), "three liveness restarts");

        Assert.Equal("Running", (await E2E.GetPodJsonAsync(host, ns, "sick")).GetProperty("status").GetProperty("phase").GetString());
        var pod = await E2E.GetPodJsonAsync(host, ns, "sick");
        var status = pod.GetProperty("status").GetProperty("containerStatuses")[0];
        var last = status.GetProperty("lastState").GetProperty("terminated");
        Assert.Equal("Error", last.GetProperty("reason").GetString());
        Assert.Contains(last.GetProperty("exitCode").GetInt32(), new[] { 137, 143 });
        Assert.True(row.Restarts >= 3);
        var log = host.HostLog();
        Assert.Contains("Liveness probe failed: HTTP probe failed with statuscode: 500", log, StringComparison.Ordinal);
        Assert.Contains("Container app failed liveness probe, will be restarted", log, StringComparison.Ordinal);

        // Back-off: with the scaled kubelet (1 s doubling), the restarts come further apart; the pod waits in CrashLoopBackOff between them.
        await Eventually.WaitAsync(() => RowAsync(ns, "sick"), r => r.Status == "CrashLoopBackOff", TimeSpan.FromSeconds(60), "CrashLoopBackOff between restarts");
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task A_pod_whose_exec_liveness_probe_fails_once_its_file_is_removed_is_restarted()
    {
        var ns = E2E.UniqueNamespace("exec-liveness");
        await E2E.CreateNamespaceAsync(host, ns);
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: catty
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: app
                image: busybox
                command: ["sh", "-c", "touch healthy; sleep 3; rm healthy; exec sleep 3600"]
                livenessProbe:
                  exec:
                    command: ["cat", "healthy"]
                  periodSeconds: 1
                  failureThreshold: 1
            """;
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, yaml));

        await Eventually.WaitAsync(() => RowAsync(ns, "catty"), r => r.Restarts >= 2, TimeSpan.FromSeconds(90), "two exec liveness restarts");

        var last = (await E2E.GetPodJsonAsync(host, ns, "catty")).GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("lastState").GetProperty("terminated");
        Assert.Equal("Error", last.GetProperty("reason").GetString());
        Assert.Contains("Liveness probe failed: cat: healthy: No such file or directory", host.HostLog(), StringComparison.Ordinal);
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task A_readiness_probe_that_flips_makes_READY_0_1_then_1_1_then_0_1_without_a_restart()
    {
        var ns = E2E.UniqueNamespace("readiness");
        await E2E.CreateNamespaceAsync(host, ns);
        var flag = Path.Combine(host.Scratch, $"ready-{Guid.NewGuid():N}");
        var yaml = PodYaml("flippy", FreePort.Next(), $"\"/ready={flag}\"", """
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: http
                  periodSeconds: 1
                  failureThreshold: 1
            """);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, yaml));

        var row = await Eventually.WaitAsync(() => RowAsync(ns, "flippy"), r => r.Status == "Running", TimeSpan.FromSeconds(60), "the pod running");
        Assert.Equal("0/1", row.Ready);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("0/1", (await RowAsync(ns, "flippy")).Ready);

        await File.WriteAllTextAsync(flag, "ready");
        await Eventually.WaitAsync(() => RowAsync(ns, "flippy"), r => r.Ready == "1/1", TimeSpan.FromSeconds(30), "READY 1/1");
        var pod = await E2E.GetPodJsonAsync(host, ns, "flippy");
        Assert.Equal("True", Condition(pod, "Ready"));
        Assert.True(pod.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("ready").GetBoolean());

        File.Delete(flag);
        row = await Eventually.WaitAsync(() => RowAsync(ns, "flippy"), r => r.Ready == "0/1", TimeSpan.FromSeconds(30), "READY 0/1 again");
        Assert.Equal((0, "Running"), (row.Restarts, row.Status));
        Assert.Equal("False", Condition(await E2E.GetPodJsonAsync(host, ns, "flippy"), "ContainersReady"));
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task A_startup_probe_holds_the_liveness_probe_off_until_it_succeeds()
    {
        var ns = E2E.UniqueNamespace("startup");
        await E2E.CreateNamespaceAsync(host, ns);
        var started = Path.Combine(host.Scratch, $"started-{Guid.NewGuid():N}");
        var yaml = PodYaml("slow", FreePort.Next(), $"\"/started={started}\", \"/healthz=500\"", """
                startupProbe:
                  httpGet:
                    path: /started
                    port: http
                  periodSeconds: 1
                  failureThreshold: 60
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: http
                  periodSeconds: 1
                  failureThreshold: 1
            """);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, yaml));

        await Eventually.WaitAsync(() => RowAsync(ns, "slow"), r => r.Status == "Running", TimeSpan.FromSeconds(60), "the pod running");
        await Task.Delay(TimeSpan.FromSeconds(4));

        // Liveness would have killed it within two seconds had it run.
        var row = await RowAsync(ns, "slow");
        Assert.Equal((0, "0/1"), (row.Restarts, row.Ready));
        var status = (await E2E.GetPodJsonAsync(host, ns, "slow")).GetProperty("status").GetProperty("containerStatuses")[0];
        Assert.False(status.GetProperty("started").GetBoolean());

        await File.WriteAllTextAsync(started, "started");
        await Eventually.WaitAsync(() => RowAsync(ns, "slow"), r => r.Restarts >= 1, TimeSpan.FromSeconds(30), "the liveness probe's restart once started");
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task A_Deployment_is_not_available_and_rollout_status_waits_until_its_pod_is_ready()
    {
        var ns = E2E.UniqueNamespace("rollout");
        await E2E.CreateNamespaceAsync(host, ns);
        var flag = Path.Combine(host.Scratch, $"ready-{Guid.NewGuid():N}");
        var port = FreePort.Next();
        var yaml = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: app
                    image: python:3
                    command: ["python3", "{ServerScript()}", "{port}", "/ready={flag}"]
                    env:
                    - name: POD_IP
                      valueFrom:
                        fieldRef:
                          fieldPath: status.podIP
                    readinessProbe:
                      httpGet:
                        path: /ready
                        port: {port}
                      periodSeconds: 1
                      failureThreshold: 1
            """;
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, yaml));
        await Eventually.WaitAsync(
            async () => await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=web", "--no-headers"),
            rows => rows.Contains(" Running ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "the Deployment's pod running");

        // Running but not ready: the rollout is not complete.
        var waiting = await host.KubectlAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=3s");
        Assert.NotEqual(0, waiting.ExitCode);
        Assert.Contains("0 of 1 updated replicas are available", waiting.Output, StringComparison.Ordinal);
        Assert.Contains("0/1", await host.KubectlOkAsync("get", "deployment", "web", "-n", ns, "--no-headers"), StringComparison.Ordinal);

        await File.WriteAllTextAsync(flag, "ready");
        var done = await host.KubectlAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
        Assert.True(done.ExitCode == 0, done.Output);
        Assert.Contains("successfully rolled out", done.Output, StringComparison.Ordinal);
        var rs = await host.KubectlOkAsync("get", "rs", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[0].status.readyReplicas} {.items[0].status.availableReplicas}");
        Assert.Equal("1 1", rs.Trim());
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    private static string? Condition(JsonElement pod, string type) =>
        pod.GetProperty("status").GetProperty("conditions").EnumerateArray()
            .FirstOrDefault(c => c.GetProperty("type").GetString() == type) is { ValueKind: JsonValueKind.Object } c
            ? c.GetProperty("status").GetString()
            : null;
}
