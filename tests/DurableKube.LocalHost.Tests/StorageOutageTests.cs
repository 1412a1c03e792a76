using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// Azurite, the host's only storage, is frozen (SIGSTOP) and then stopped (SIGTERM) and started again on the same ports and data
/// while clients create pods and a ReplicaSet scales. The host keeps running; each request answers in bounded time,
/// either as it would have or with a Kubernetes Status (5xx with a message, Retry-After on 503); afterwards every pod the
/// API acknowledged with 201 is stored and runs, the ReplicaSet's pods run, the API serves writes again, and no process
/// is left of a pod that is gone.
/// </summary>
[Collection(FaultHostCollection.Name)]
public sealed class StorageOutageTests(FaultHostFixture host, ITestOutputHelper output)
{
    /// <summary>
    /// The longest a request may take while storage is away before it counts as hanging: the store's retries give up
    /// within about a minute (as the API server's own 60 s request timeout), and CI's load adds to that.
    /// </summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(100);

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>
    /// How long the pods may take to run after the outage: a stuck workflow is found after <c>Reconcile__StuckAfter</c>
    /// (1 minute here), its termination is given as long again before the worker is restarted, then resyncs every 20 s.
    /// </summary>
    private static readonly TimeSpan Convergence = TimeSpan.FromMinutes(6);

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Storage_frozen_then_stopped_and_restarted_under_load_answers_Statuses_and_loses_nothing_acknowledged()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("outage");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet(), ns);
        var hostPid = host.HostPid;

        var acknowledged = new ConcurrentBag<string>();
        var answers = new ConcurrentQueue<Answer>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            using var http = host.CreateHttpClient();
            http.Timeout = Bound + Bound;
            // A steady trickle (one create per client every 2 s, at most 20 each), not a flood a loaded CI machine drowns in.
            for (var i = 0; i < 20 && !stop.IsCancellationRequested; i++)
            {
                var name = $"p-{worker}-{i}";
                var answer = await CreateAsync(http, ns, name);
                answers.Enqueue(answer);
                if (answer.Code == 201)
                {
                    acknowledged.Add(name);
                }

                await Task.Delay(2000);
            }
        })).ToList();

        await Eventually.WaitAsync(() => Task.FromResult(acknowledged.Count), n => n >= 3, Patience, "the first creates to be acknowledged");

        // Frozen: connections are accepted and never answered.
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} Azurite frozen");
        await host.Storage.FreezeAsync();
        var scale = Task.Run(() => ScaleAsync(host, ns, 5));
        await Task.Delay(TimeSpan.FromSeconds(15));
        await host.Storage.ThawAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} Azurite thawed");
        await Task.Delay(TimeSpan.FromSeconds(5));

        // Stopped: connections refused; then started again on the same ports and data.
        await host.Storage.StopAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} Azurite stopped");
        await Task.Delay(TimeSpan.FromSeconds(12));
        await host.Storage.StartAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} Azurite started again");
        await Task.Delay(TimeSpan.FromSeconds(8));
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var scaled = await scale;

        foreach (var answer in answers.Where(a => a.Code != 201))
        {
            output.WriteLine($"{answer.Name}: {answer.Code} after {answer.Took.TotalSeconds:0.0}s retry-after={answer.RetryAfter} {answer.Message}");
        }

        output.WriteLine($"{acknowledged.Count} creates acknowledged, {answers.Count(a => a.Code != 201)} refused; scale answered {scaled}");

        // The host never died, and no request hung or went unanswered.
        Assert.True(Process.GetProcessById(hostPid) is { HasExited: false }, "the host died while storage was away:\n" + host.HostLog());
        Assert.All(answers, a => Assert.True(a.Took < Bound, $"{a.Name} took {a.Took} (answered {a.Code} {a.Message})"));
        Assert.All(answers.Where(a => a.Code != 201), a =>
        {
            Assert.True(a.Code is 500 or 503 or 504 or 409 or 429, $"{a.Name}: {a.Code} {a.Message}");
            Assert.True(a.IsStatus && !string.IsNullOrWhiteSpace(a.Message), $"{a.Name}: {a.Code} without a Status: {a.Message}");
            if (a.Code == 503)
            {
                Assert.True(a.RetryAfter is > 0, $"{a.Name}: 503 without Retry-After");
            }
        });
        Assert.Contains(answers, a => a.Code != 201);

        // Afterwards: everything acknowledged is stored, and storage serves again (the host reads and writes).
        var stored = await Eventually.WaitAsync(
            () => client.CoreV1.ListNamespacedPodAsync(ns),
            pods => acknowledged.All(name => pods.Items.Any(p => p.Name() == name)),
            Patience,
            "every acknowledged pod to be listed");
        Assert.All(acknowledged, name => Assert.Single(stored.Items, p => p.Name() == name));
        await ScaleAsync(host, ns, 5);
        var rs = await client.AppsV1.ReadNamespacedReplicaSetAsync("load", ns);
        Assert.Equal(5, rs.Spec.Replicas);

        // And every pod runs: the acknowledged ones and the ReplicaSet's five. A pod workflow whose session was in flight
        // when Azurite went away can be held by the Durable Task provider for good ("Received a duplicate message": the
        // watchdog's termination does not take either); the watchdog then restarts the host's workflow worker and
        // terminates it again, and the resync starts it from the pod (docs/durability.md).
        var running = await Eventually.WaitAsync(
            () => client.CoreV1.ListNamespacedPodAsync(ns),
            pods => acknowledged.All(name => pods.Items.Any(p => p.Name() == name && p.Status?.Phase == "Running"))
                && pods.Items.Count(p => p.Metadata.Labels?.TryGetValue("app", out var app) == true && app == "load" && p.Status?.Phase == "Running") == 5,
            Convergence,
            "every acknowledged pod and the ReplicaSet's five to run",
            pods => string.Join("\n", pods.Items.Where(p => p.Status?.Phase != "Running").Select(p => $"{p.Name()}: {p.Status?.Phase} {p.Metadata.Uid}")) + "\n" + host.HostLog());
        Assert.Equal(acknowledged.Count + 5, running.Items.Count(p => p.Status?.Phase == "Running"));

        var problems = await Eventually.WaitAsync(
            async () => FaultProbe.ProcessProblems(host.RuntimeRoot, (await client.CoreV1.ListPodForAllNamespacesAsync()).Items.ToList(), host.NodeName),
            p => p.Count == 0,
            TimeSpan.FromMinutes(1),
            "the process runtime's processes to match the pods");
        Assert.Empty(problems);

        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    private sealed record Answer(string Name, int Code, TimeSpan Took, bool IsStatus, string Message, int? RetryAfter);

    private static async Task<Answer> CreateAsync(HttpClient http, string ns, string name)
    {
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                TerminationGracePeriodSeconds = 2,
                Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sleep", "100000"] }],
            },
        };
        var watch = Stopwatch.StartNew();
        try
        {
            using var content = new StringContent(KubernetesJson.Serialize(pod), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", content);
            var body = await response.Content.ReadAsStringAsync();
            var isStatus = false;
            var message = body;
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "Status")
                {
                    isStatus = true;
                    message = document.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
                }
            }
            catch (JsonException)
            {
            }

            var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int?)delta.TotalSeconds : null;
            return new Answer(name, (int)response.StatusCode, watch.Elapsed, isStatus, message, retryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Answer(name, 0, watch.Elapsed, false, $"no answer: {e.GetType().Name}: {e.Message}", null);
        }
    }

    private static async Task<string> ScaleAsync(FaultHostFixture host, string ns, int replicas)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var result = await host.KubectlAsync("scale", "rs", "load", "-n", ns, $"--replicas={replicas}");
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline)
            {
                return result.Output.Trim();
            }

            await Task.Delay(1000);
        }
    }

    private static V1ReplicaSet ReplicaSet() => new()
    {
        Metadata = new V1ObjectMeta { Name = "load" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "load" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "load" } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 2,
                    Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sleep", "100000"] }],
                },
            },
        },
    };
}
