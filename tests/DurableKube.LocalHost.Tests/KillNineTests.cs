using System.Globalization;
using System.Net;
using DurableKube.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit.Abstractions;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// The host is killed with SIGKILL at random moments (seeded; the seed is printed, and
/// <c>DURABLEKUBE_FAULT_SEED</c> replays it) while 50 pods of every kind of lifecycle and a ReplicaSet being scaled are
/// in flight, and started again with scripts/up.sh on the same storage each time. Afterwards everything is as
/// Kubernetes would have it: each pod in the phase its spec implies, restart counts equal to the runs the process
/// runtime really started (each run appends a line to a file of its own), the ReplicaSet's exact replicas with unique
/// names and its owner reference, one live process per running container, none for pods that are gone or finished, and
/// one container group per ACI pod.
/// </summary>
[Collection(FaultHostCollection.Name)]
public sealed class KillNineTests(FaultHostFixture host, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>The kinds of lifecycle, how many of each, and what each must end as.</summary>
    private enum Kind
    {
        /// <summary>restartPolicy Always, runs for ever: Running, restartCount 0, one run.</summary>
        Server,

        /// <summary>Never, exits 0 after a second: Succeeded, one run.</summary>
        Completes,

        /// <summary>Never, exits 3: Failed, one run.</summary>
        Fails,

        /// <summary>OnFailure, fails twice then exits 0: Succeeded, restartCount 2, three runs.</summary>
        Retries,

        /// <summary>OnFailure, exits 0 after four seconds (a kill lands mid-run): Succeeded, one run.</summary>
        Slow,

        /// <summary>Always, exits 1 at once: CrashLoopBackOff, restartCount = runs - 1, never decreasing.</summary>
        CrashLoop,

        /// <summary>On the ACI node (fake ARM): Running, one container group.</summary>
        Aci,
    }

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Host_killed_at_random_moments_of_50_lifecycles_and_scaling_then_everything_converges_as_Kubernetes_would()
    {
        var seed = Environment.GetEnvironmentVariable("DURABLEKUBE_FAULT_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"kill -9 test seed: {seed} (replay with DURABLEKUBE_FAULT_SEED={seed})");
        var random = new Random(seed);

        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("kill9");
        var runs = Directory.CreateDirectory(Path.Combine(host.Scratch, ns)).FullName;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });

        var plan = new List<(string Name, Kind Kind)>();
        foreach (var (kind, count) in new[] { (Kind.Server, 12), (Kind.Completes, 8), (Kind.Fails, 5), (Kind.Retries, 8), (Kind.Slow, 4), (Kind.CrashLoop, 9), (Kind.Aci, 4) })
        {
            plan.AddRange(Enumerable.Range(0, count).Select(i => ($"{kind.ToString().ToLowerInvariant()}-{i}", kind)));
        }

        Assert.Equal(50, plan.Count);
        plan = [.. plan.OrderBy(_ => random.Next())];
        var counts = new RestartCounts();

        // The ReplicaSet first, then the burst of 50 creates from 8 clients; the host dies somewhere in it or just after.
        await CreateAsync(() => client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet(runs), ns));
        var burst = Task.Run(() => Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, _) =>
            await CreateAsync(() => client.CoreV1.CreateNamespacedPodAsync(Pod(item.Name, item.Kind, runs), ns))));
        await KillAndRestartAsync("during the burst of creates", random.Next(500, 4000));
        await burst;

        // While crash-looping pods wait out their back-off (timers pending) and the slow ones run.
        await Eventually.WaitAsync(
            () => client.CoreV1.ListNamespacedPodAsync(ns),
            pods => pods.Items.Count(p => p.Name().StartsWith("crashloop-", StringComparison.Ordinal) && p.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount >= 1) >= 3,
            Patience,
            "crash-looping pods to restart");
        counts.Observe(await client.CoreV1.ListNamespacedPodAsync(ns));
        await KillAndRestartAsync("while pods wait out their back-off", random.Next(0, 4000));
        counts.Observe(await client.CoreV1.ListNamespacedPodAsync(ns));

        // While a scale-up is in progress (the controller's slow-start batches, the kubelets' first activities).
        await ScaleAsync(client, ns, 10);
        await KillAndRestartAsync("while the ReplicaSet scales up to 10", random.Next(0, 2500));
        counts.Observe(await client.CoreV1.ListNamespacedPodAsync(ns));

        // Down and up again at once, killed in between or after.
        await ScaleAsync(client, ns, 2);
        await Task.Delay(random.Next(0, 1500));
        await ScaleAsync(client, ns, 7);
        await KillAndRestartAsync("while the ReplicaSet scales down to 2 and up to 7", random.Next(0, 2500));
        counts.Observe(await client.CoreV1.ListNamespacedPodAsync(ns));
        await ScaleAsync(client, ns, 6);

        // Convergence: every pod as its spec implies, the ReplicaSet at exactly 6.
        var rs = await client.AppsV1.ReadNamespacedReplicaSetAsync("web", ns);
        List<string> unconverged = [];
        V1PodList final;
        try
        {
            final = await Eventually.WaitAsync(
                async () =>
                {
                    var pods = await client.CoreV1.ListNamespacedPodAsync(ns);
                    counts.Observe(pods);
                    return pods;
                },
                pods => (unconverged = Unconverged(pods, plan, rs.Uid())).Count == 0,
                Patience,
                "every pod to converge");
        }
        catch (TimeoutException e)
        {
            // What each unconverged pod's workflow waits for, to tell where it stopped.
            using var http = host.CreateHttpClient();
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns);
            foreach (var problem in unconverged.Where(p => !p.StartsWith("ReplicaSet", StringComparison.Ordinal)))
            {
                var name = problem[..problem.IndexOf(' ', StringComparison.Ordinal)];
                if (pods.Items.FirstOrDefault(p => p.Name() == name) is { } pod)
                {
                    output.WriteLine(await FaultProbe.DescribeAsync(http, pod));
                }
            }

            throw new TimeoutException($"not converged (seed {seed}): {string.Join("; ", unconverged)}", e);
        }
        var set = await Eventually.WaitAsync(
            () => client.AppsV1.ReadNamespacedReplicaSetAsync("web", ns),
            r => r.Status?.Replicas == 6 && r.Status.ReadyReplicas == 6,
            Patience,
            "the ReplicaSet's status to count 6 ready replicas");
        Assert.Equal(6, set.Status.AvailableReplicas);

        // The ReplicaSet's pods: exactly 6, unique names, owned by it, each started once.
        var owned = final.Items.Where(p => p.Name().StartsWith("web-", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, owned.Count);
        Assert.Equal(6, owned.Select(p => p.Name()).Distinct().Count());
        Assert.All(owned, p =>
        {
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.Equal((rs.Uid(), "ReplicaSet", "web", true), (owner.Uid, owner.Kind, owner.Name, owner.Controller == true));
            Assert.Equal(1, FaultProbe.Runs(Path.Combine(runs, p.Name() + ".runs")));
        });

        // Runs really started against what the pods say: nothing lost, nothing doubled.
        foreach (var (name, kind) in plan)
        {
            var pod = final.Items.Single(p => p.Name() == name);
            var restarts = pod.Status.ContainerStatuses.Single().RestartCount;
            var ran = FaultProbe.Runs(Path.Combine(runs, name + ".runs"));
            switch (kind)
            {
                case Kind.Server or Kind.Completes or Kind.Fails or Kind.Slow:
                    Assert.True(ran == 1 && restarts == 0, $"{name} ({kind}) ran {ran} times with restartCount {restarts}; expected one run, no restart (seed {seed})");
                    break;
                case Kind.Retries:
                    Assert.True(ran == 3 && restarts == 2, $"{name} ({kind}) ran {ran} times with restartCount {restarts}; expected 3 runs, 2 restarts (seed {seed})");
                    break;
                case Kind.Aci:
                    Assert.Equal(0, restarts);
                    break;
            }
        }

        // A crash-looping pod's restartCount is its runs less one: checked in a quiet moment of its back-off.
        foreach (var (name, _) in plan.Where(p => p.Kind == Kind.CrashLoop))
        {
            await Eventually.WaitAsync(
                async () =>
                {
                    var before = (await client.CoreV1.ReadNamespacedPodAsync(name, ns)).Status.ContainerStatuses.Single().RestartCount;
                    var ran = FaultProbe.Runs(Path.Combine(runs, name + ".runs"));
                    var after = (await client.CoreV1.ReadNamespacedPodAsync(name, ns)).Status.ContainerStatuses.Single().RestartCount;
                    return (before, ran, after);
                },
                t => t.before == t.after && t.ran == t.before + 1,
                TimeSpan.FromMinutes(1),
                $"{name}'s restartCount to be its runs less one (seed {seed})");
        }

        counts.Observe(await client.CoreV1.ListNamespacedPodAsync(ns));
        Assert.True(counts.Decreases.Count == 0, $"restart counts went down (seed {seed}): {string.Join("; ", counts.Decreases)}");

        // Processes: one live run per running container, none for pods that are gone or finished.
        var problems = await Eventually.WaitAsync(
            async () => FaultProbe.ProcessProblems(host.RuntimeRoot, (await client.CoreV1.ListPodForAllNamespacesAsync()).Items.ToList(), host.NodeName),
            p => p.Count == 0,
            TimeSpan.FromMinutes(1),
            "the process runtime's processes to match the pods");
        Assert.Empty(problems);

        // One container group per ACI pod, and no other of this namespace (named dk-<namespace>-<pod>-<hash of its uid>).
        var groups = host.Arm.GroupNames.Where(n => n.Contains(ns, StringComparison.Ordinal)).ToList();
        Assert.Equal(plan.Count(p => p.Kind == Kind.Aci), groups.Count);
        Assert.All(plan.Where(p => p.Kind == Kind.Aci), p => Assert.Single(groups, g => g.Contains($"-{p.Name}-", StringComparison.Ordinal)));

        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    /// <summary>Creates an object, again after a failure (the host was killed under the call); AlreadyExists means an
    /// earlier try got in before the host died.</summary>
    private static async Task CreateAsync(Func<Task> create)
    {
        // Long enough to outlast a restart of the host on a loaded CI machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                await create();
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task ScaleAsync(Kubernetes client, string ns, int replicas)
    {
        var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch);
        await CreateAsync(() => client.AppsV1.PatchNamespacedReplicaSetScaleAsync(patch, "web", ns));
    }

    private async Task KillAndRestartAsync(string when, int delayMs)
    {
        await Task.Delay(delayMs);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} kill -9 of the host {when} ({delayMs} ms in)");
        await host.KillHostAsync();
        var up = await host.UpAsync();
        Assert.True(up.ExitCode == 0, $"scripts/up.sh after the kill {when} failed: {up.Output}\n{host.HostLog()}");
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} up again");
    }

    /// <summary>What is not yet as Kubernetes would have it.</summary>
    private static List<string> Unconverged(V1PodList pods, List<(string Name, Kind Kind)> plan, string rsUid)
    {
        var problems = new List<string>();
        foreach (var (name, kind) in plan)
        {
            var pod = pods.Items.SingleOrDefault(p => p.Name() == name);
            var status = pod?.Status?.ContainerStatuses?.SingleOrDefault();
            var ok = pod is not null && status is not null && kind switch
            {
                Kind.Server or Kind.Aci => pod.Status.Phase == "Running" && status.State?.Running is not null && status.Ready,
                Kind.Completes or Kind.Retries or Kind.Slow => pod.Status.Phase == "Succeeded",
                Kind.Fails => pod.Status.Phase == "Failed",
                // Crash-looping: waiting out its back-off, or just exited with its error before the kubelet shows the back-off
                // (kubectl shows Error, then CrashLoopBackOff); all nine in CrashLoopBackOff at one instant is not a state to wait for.
                Kind.CrashLoop => pod.Status.Phase == "Running" && status.RestartCount >= 2
                    && (status.State?.Waiting?.Reason == "CrashLoopBackOff" || status.State?.Terminated?.ExitCode == 1),
                _ => false,
            };
            if (!ok)
            {
                var state = status?.State is { } st
                    ? st.Running is not null ? "running" : st.Terminated is { } t ? $"terminated {t.ExitCode} {t.Reason}" : $"waiting {st.Waiting?.Reason}"
                    : "no status";
                problems.Add($"{name} ({kind}, uid {pod?.Uid()}): {pod?.Status?.Phase ?? "missing"} {state} restarts {status?.RestartCount}");
            }
        }

        var owned = pods.Items.Where(p => p.Metadata.OwnerReferences?.Any(o => o.Uid == rsUid) == true).ToList();
        if (owned.Count != 6 || owned.Any(p => p.Metadata.DeletionTimestamp is not null || p.Status?.Phase != "Running" || p.Status.ContainerStatuses?.SingleOrDefault()?.Ready != true))
        {
            problems.Add($"ReplicaSet: {owned.Count} pods, {owned.Count(p => p.Status?.Phase == "Running")} running");
        }

        return problems;
    }

    private static V1Container Container(string script) => new()
    {
        Name = "main",
        Image = "busybox:1.36",
        Command = ["sh", "-c", script],
    };

    private static V1Pod Pod(string name, Kind kind, string runs)
    {
        var file = Path.Combine(runs, name + ".runs");
        var record = $"echo run >> {file}";
        var (policy, script) = kind switch
        {
            Kind.Server => ("Always", $"{record}; exec sleep 100000"),
            Kind.Completes => ("Never", $"{record}; sleep 1"),
            Kind.Fails => ("Never", $"{record}; sleep 0.5; exit 3"),
            Kind.Retries => ("OnFailure", $"{record}; sleep 0.5; [ $(wc -l < {file}) -ge 3 ]"),
            Kind.Slow => ("OnFailure", $"{record}; sleep 4"),
            Kind.CrashLoop => ("Always", $"{record}; exit 1"),
            _ => ("Always", string.Empty),
        };
        if (kind == Kind.Aci)
        {
            return new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodSpec
                {
                    NodeSelector = new Dictionary<string, string> { ["type"] = "virtual-kubelet" },
                    Tolerations = [new V1Toleration { Key = "virtual-kubelet.io/provider", OperatorProperty = "Equal", Value = "azure", Effect = "NoSchedule" }],
                    Containers = [new V1Container { Name = "main", Image = "mcr.microsoft.com/azuredocs/aci-helloworld" }],
                },
            };
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { RestartPolicy = policy, TerminationGracePeriodSeconds = 2, Containers = [Container(script)] },
        };
    }

    private static V1ReplicaSet ReplicaSet(string runs) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = 3,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 2,
                    Containers = [Container($"echo run >> {runs}/$HOSTNAME.runs; exec sleep 100000")],
                },
            },
        },
    };

    /// <summary>The highest restart count seen of each container so far, and any observation below it.</summary>
    private sealed class RestartCounts
    {
        private readonly Dictionary<string, int> _highest = new(StringComparer.Ordinal);

        public List<string> Decreases { get; } = [];

        public void Observe(V1PodList pods)
        {
            lock (_highest)
            {
                foreach (var pod in pods.Items)
                {
                    foreach (var status in pod.Status?.ContainerStatuses ?? [])
                    {
                        var key = $"{pod.Uid()}/{status.Name}";
                        if (_highest.TryGetValue(key, out var highest) && status.RestartCount < highest)
                        {
                            Decreases.Add($"{pod.Name()}/{status.Name} {highest} -> {status.RestartCount}");
                        }

                        _highest[key] = Math.Max(highest, status.RestartCount);
                    }
                }
            }
        }
    }
}
