using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace DurableKube.Bench;

/// <summary>What <c>durablekube-bench run</c> is given (by scripts/bench.sh).</summary>
/// <param name="Kubeconfig">The kubeconfig of the host under test.</param>
/// <param name="Pods">N.</param>
/// <param name="Storage">The storage connection string (the floor's task hub goes there).</param>
/// <param name="AzuriteLog">Azurite's debug log, to count storage requests; null: not counted.</param>
/// <param name="HostPid">The host's process id, for its peak memory and CPU time; null: not read.</param>
/// <param name="ArmDirectory">The fake ARM server's folder (it writes its request count there); null: no ACI measurement.</param>
/// <param name="AciNode">The ACI node's name.</param>
/// <param name="ChangeQueue">The change queue's name.</param>
/// <param name="ArmWindow">How long ARM requests are counted with the ACI pods running.</param>
/// <param name="AciPods">How many pods go to the ACI node.</param>
/// <param name="Phases">The scenarios to run (<see cref="BenchPhases"/>).</param>
internal sealed record BenchOptions(
    string Kubeconfig,
    int Pods,
    string Storage,
    string? AzuriteLog,
    int? HostPid,
    string? ArmDirectory,
    string? AciNode,
    string ChangeQueue,
    TimeSpan ArmWindow,
    int AciPods,
    IReadOnlySet<string> Phases);

/// <summary>The pod scenarios of issue 11, in one run against one host, then the table and the line.</summary>
internal sealed class PodBench(BenchOptions options, Kubernetes client)
{
    private const int Clients = 16;
    private const string Touch = "bench/touch";
    private readonly List<IReadOnlyList<string>> _rows = [];
    private readonly List<string> _notes = [];

    /// <summary>How ARM's requests are told by time: each group's reads back off from 10 s to 15 minutes, so the rate settles over the first half hour.</summary>
    private static readonly TimeSpan Stretch = TimeSpan.FromMinutes(5);

    private TimeSpan Deadline => TimeSpan.FromSeconds(Math.Max(300, Math.Max(options.Pods, options.AciPods) * 2));

    /// <summary>Runs the scenarios of <see cref="BenchOptions.Phases"/>, prints the table and returns the figures of the last line.</summary>
    /// <returns>The figures (those of a scenario not run not measured).</returns>
    public async Task<BenchFigures> RunAsync()
    {
        var figures = await PodScenariosAsync();
        if (Runs(BenchPhases.Aci) && options.ArmDirectory is not null && options.AciNode is not null)
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "bench-aci" } });
            figures = figures with { ArmRequestsPerPodMinute = await ArmAsync() };
        }

        if (options.HostPid is { } pid)
        {
            var peak = ProcFs.PeakResidentBytes(await File.ReadAllTextAsync($"/proc/{pid}/status"));
            var cpu = ProcFs.CpuSeconds(await File.ReadAllTextAsync($"/proc/{pid}/stat"));
            _notes.Add($"host: peak memory (VmHWM) {(peak ?? 0) / 1048576.0:F0} MiB, CPU {cpu:F1} s since it started");
        }

        Console.WriteLine();
        Console.WriteLine(BenchTable.Format(["measurement", "n", "per s", "p50 ms", "p99 ms", "elapsed s"], _rows));
        Console.WriteLine();
        foreach (var note in _notes)
        {
            Console.WriteLine(note);
        }

        Console.WriteLine();
        return figures;
    }

    private bool Runs(string phase) => options.Phases.Contains(phase);

    private async Task<BenchFigures> PodScenariosAsync()
    {
        var figures = BenchFigures.NotMeasured(options.Pods);
        if (!options.Phases.Any(phase => phase != BenchPhases.Aci))
        {
            return figures;
        }

        using var storage = new StorageLog(options.AzuriteLog, options.ChangeQueue);
        foreach (var ns in new[] { "bench-rs", "bench-burst", "bench-done" })
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }

        Progress("idle storage rate (10 s)");
        var idleFrom = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(10));
        var idleTo = DateTimeOffset.UtcNow;
        var (idleRequests, _) = await storage.BetweenAsync(idleFrom, idleTo, TimeSpan.FromSeconds(30));
        var idleRate = idleRequests / (idleTo - idleFrom).TotalSeconds;

        if (Runs(BenchPhases.Floor))
        {
            Progress($"floor: {options.Pods} trivial orchestrations");
            var floorFirst = await Floor.RunAsync(options.Storage, options.Pods, Clients, Deadline, "a", "floor: trivial orchestrations, first");
            Row(floorFirst);
            figures = figures with { BaselinePerSecond = floorFirst.PerSecond };
        }

        if (Runs(BenchPhases.ReplicaSet))
        {
            Progress($"ReplicaSet: kubectl scale to {options.Pods}");
            Row(await ReplicaSetAsync());

            Progress($"API latency with {options.Pods} pods stored");
            await ApiLatencyAsync();

            Progress("ReplicaSet: kubectl scale to 0");
            var down = await ScaleDownAsync();
            Add(["ReplicaSet scale to 0: until the last is gone", options.Pods.ToString(CultureInfo.InvariantCulture), "-", "-", "-", BenchTable.Cell(down.TotalSeconds, 1)]);
        }

        if (Runs(BenchPhases.Burst))
        {
            Progress($"burst: {options.Pods} pods by {Clients} clients");
            var (burst, creates) = await BurstAsync();
            Row(burst);
            Row("API create (16 clients, under the burst)", creates);
            figures = figures with { PodsPerSecond = burst.PerSecond, RunningP50Ms = burst.Latency.P50, RunningP99Ms = burst.Latency.P99, ApiP99Ms = creates.P99 };

            if (Runs(BenchPhases.Floor))
            {
                // The floor again, right after the burst, so the ratio compares the two under the same load on the machine.
                Progress($"floor again: {options.Pods} trivial orchestrations");
                var floor = await Floor.RunAsync(options.Storage, options.Pods, Clients, Deadline, "b", "floor: again, right after the burst (the ratio's)");
                Row(floor);
                figures = figures with { BaselinePerSecond = floor.PerSecond };
            }

            Progress("kubectl delete pods --all");
            var delete = await DeleteAllAsync("bench-burst", options.Pods);
            Add(["delete pods --all: until the last is gone", options.Pods.ToString(CultureInfo.InvariantCulture), BenchTable.Cell(Stats.PerSecond(options.Pods, delete), 1), "-", "-", BenchTable.Cell(delete.TotalSeconds, 1)]);
            figures = figures with { DeleteSeconds = delete.TotalSeconds };
        }

        if (Runs(BenchPhases.Completion))
        {
            Progress($"run to completion: {options.Pods} pods, created, Succeeded, deleted");
            var from = DateTimeOffset.UtcNow;
            var done = await CompletionAsync();
            Row(done);
            var doneDelete = await DeleteAllAsync("bench-done", options.Pods);
            Add(["delete completed pods: until the last is gone", options.Pods.ToString(CultureInfo.InvariantCulture), BenchTable.Cell(Stats.PerSecond(options.Pods, doneDelete), 1), "-", "-", BenchTable.Cell(doneDelete.TotalSeconds, 1)]);
            var to = DateTimeOffset.UtcNow;
            if (storage.Counting)
            {
                var (requests, messages) = await storage.BetweenAsync(from, to, TimeSpan.FromSeconds(60));
                var seconds = (to - from).TotalSeconds;
                var storagePerPod = Math.Max(0, requests - (idleRate * seconds)) / options.Pods;
                _notes.Add($"storage requests per pod lifecycle (create, Succeeded, delete): {storagePerPod:F1} less the idle {idleRate:F1}/s over {seconds:F0} s, {requests / (double)options.Pods:F1} in all");
                _notes.Add($"change-queue messages per pod lifecycle: {messages / (double)options.Pods:F1}");
                figures = figures with { StorageRequestsPerPod = storagePerPod };
            }
        }

        return figures;
    }

    // Each row is also reported as it is measured: a run of 1,000 pods takes an hour, and one stopped before its end
    // keeps what it measured in its progress output.
    private void Add(IReadOnlyList<string> row)
    {
        _rows.Add(row);
        Console.Error.WriteLine($"bench: row: {string.Join(" | ", row)}");
    }

    private static void Progress(string what) =>
        Console.Error.WriteLine($"bench: {DateTime.UtcNow:HH:mm:ss} {what} (load {ProcFs.LoadAverage(ReadOrEmpty("/proc/loadavg"))})");

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static V1Pod Pod(string name, string[] command, string restartPolicy) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "bench" } },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers = [new V1Container { Name = "main", Image = "busybox", Command = command }],
        },
    };

    private void Row(ScenarioResult r) => Add([
        r.Reached == r.Asked ? r.Name : $"{r.Name} (only {r.Reached} of {r.Asked})",
        r.Reached.ToString(CultureInfo.InvariantCulture),
        BenchTable.Cell(r.PerSecond, 1),
        BenchTable.Cell(r.Latency.P50),
        BenchTable.Cell(r.Latency.P99),
        BenchTable.Cell(r.Elapsed.TotalSeconds, 1),
    ]);

    private void Row(string name, Summary s) =>
        Add([name, s.Count.ToString(CultureInfo.InvariantCulture), "-", BenchTable.Cell(s.P50, 1), BenchTable.Cell(s.P99, 1), "-"]);

    private async Task<ScenarioResult> ReplicaSetAsync()
    {
        const string ns = "bench-rs";
        var labels = new Dictionary<string, string> { ["app"] = "bench-rs" };
        await client.AppsV1.CreateNamespacedReplicaSetAsync(
            new V1ReplicaSet
            {
                Metadata = new V1ObjectMeta { Name = "bench" },
                Spec = new V1ReplicaSetSpec
                {
                    Replicas = 0,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sleep", "3600"] }] },
                    },
                },
            },
            ns);
        await using var watch = await PodWatch.StartAsync(client, ns);
        var start = Stopwatch.GetTimestamp();
        await KubectlAsync("scale", "rs", "bench", "-n", ns, $"--replicas={options.Pods}");
        await PodWatch.UntilAsync(() => watch.Running.Count >= options.Pods, Deadline);
        var running = watch.Running.ToArray();
        var latencies = running.Where(r => watch.Seen.ContainsKey(r.Key)).Select(r => Stopwatch.GetElapsedTime(watch.Seen[r.Key], r.Value).TotalMilliseconds);
        var elapsed = Stopwatch.GetElapsedTime(start, running.Select(r => r.Value).DefaultIfEmpty(start).Max());
        return new ScenarioResult("ReplicaSet: kubectl scale to all Running (seen to Running)", options.Pods, running.Length, Stats.PerSecond(running.Length, elapsed), elapsed, Summary.Of(latencies));
    }

    private async Task ApiLatencyAsync()
    {
        const string ns = "bench-rs";
        var names = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name).ToArray();
        if (names.Length == 0)
        {
            _notes.Add("API latency: no pods to read");
            return;
        }

        Row("API get pod", await TimeAsync(100, i => client.CoreV1.ReadNamespacedPodAsync(names[i % names.Length], ns)));
        Row("API list pods, all namespaces", await TimeAsync(20, _ => client.CoreV1.ListPodForAllNamespacesAsync()));
        Row("API list pods by label, all namespaces", await TimeAsync(20, _ => client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app=bench-rs")));

        // Watch delivery: from a patch's call to its event on a watch opened before.
        await using var watch = await PodWatch.StartAsync(client, ns);
        var delivery = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var value = "t" + i.ToString(CultureInfo.InvariantCulture);
            var patch = new V1Patch(new V1Pod { Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [Touch] = value } } }, V1Patch.PatchType.MergePatch);
            var start = Stopwatch.GetTimestamp();
            await client.CoreV1.PatchNamespacedPodAsync(patch, names[i % names.Length], ns);
            if (await PodWatch.UntilAsync(() => watch.Touches.ContainsKey(value), TimeSpan.FromSeconds(30)))
            {
                delivery.Add(Stopwatch.GetElapsedTime(start, watch.Touches[value]).TotalMilliseconds);
            }
        }

        Row("watch delivery (patch call to event)", Summary.Of(delivery));
    }

    private static async Task<Summary> TimeAsync(int times, Func<int, Task> call)
    {
        var latencies = new List<double>(times);
        for (var i = 0; i < times; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Summary.Of(latencies);
    }

    private async Task<TimeSpan> ScaleDownAsync()
    {
        var start = Stopwatch.GetTimestamp();
        await KubectlAsync("scale", "rs", "bench", "-n", "bench-rs", "--replicas=0");
        await UntilGoneAsync("bench-rs");
        var elapsed = Stopwatch.GetElapsedTime(start);
        await KubectlAsync("delete", "rs", "bench", "-n", "bench-rs");
        return elapsed;
    }

    private async Task<(ScenarioResult Burst, Summary Creates)> BurstAsync()
    {
        const string ns = "bench-burst";
        await using var watch = await PodWatch.StartAsync(client, ns);
        var (created, creates) = await CreateAsync(ns, "burst", ["sleep", "3600"], "Always");
        await PodWatch.UntilAsync(() => watch.Running.Count >= options.Pods, Deadline);
        return (Arrivals("burst: 16 clients create, to all Running", created, watch.Running), Summary.Of(creates));
    }

    private async Task<ScenarioResult> CompletionAsync()
    {
        const string ns = "bench-done";
        await using var watch = await PodWatch.StartAsync(client, ns);
        var (created, _) = await CreateAsync(ns, "done", ["sh", "-c", "true"], "Never");
        await PodWatch.UntilAsync(() => watch.Succeeded.Count >= options.Pods, Deadline);
        return Arrivals("run to completion: create to Succeeded", created, watch.Succeeded);
    }

    private ScenarioResult Arrivals(string name, IReadOnlyDictionary<string, long> created, IReadOnlyDictionary<string, long> arrived)
    {
        var reached = arrived.Where(a => created.ContainsKey(a.Key)).ToArray();
        var first = created.Values.DefaultIfEmpty(Stopwatch.GetTimestamp()).Min();
        var last = reached.Select(r => r.Value).DefaultIfEmpty(first).Max();
        var elapsed = Stopwatch.GetElapsedTime(first, last);
        var latencies = reached.Select(r => Stopwatch.GetElapsedTime(created[r.Key], r.Value).TotalMilliseconds);
        return new ScenarioResult(name, options.Pods, reached.Length, Stats.PerSecond(reached.Length, elapsed), elapsed, Summary.Of(latencies));
    }

    private Task<(ConcurrentDictionary<string, long> Created, List<double> Latencies)> CreateAsync(string ns, string prefix, string[] command, string restartPolicy) =>
        CreateAsync(ns, options.Pods, i => Pod($"{prefix}-{i}", command, restartPolicy));

    /// <summary>Creates <paramref name="count"/> pods by <see cref="Clients"/> concurrent clients.</summary>
    private async Task<(ConcurrentDictionary<string, long> Created, List<double> Latencies)> CreateAsync(string ns, int count, Func<int, V1Pod> pod)
    {
        var created = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var manifest = pod(i);
                var start = Stopwatch.GetTimestamp();
                created[manifest.Metadata.Name] = start;
                await client.CoreV1.CreateNamespacedPodAsync(manifest, ns);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        return (created, [.. latencies]);
    }

    private async Task<TimeSpan> DeleteAllAsync(string ns, int expected)
    {
        var start = Stopwatch.GetTimestamp();
        await KubectlAsync("delete", "pods", "--all", "-n", ns, "--wait=false");
        if (!await UntilGoneAsync(ns))
        {
            _notes.Add($"{ns}: pods were still there after {Deadline.TotalSeconds:F0} s (of {expected})");
        }

        return Stopwatch.GetElapsedTime(start);
    }

    private async Task<bool> UntilGoneAsync(string ns)
    {
        var clock = Stopwatch.StartNew();
        while ((await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count > 0)
        {
            if (clock.Elapsed > Deadline)
            {
                return false;
            }

            await Task.Delay(250);
        }

        return true;
    }

    /// <summary>
    /// ARM's requests with <see cref="BenchOptions.AciPods"/> pods on the ACI node (the fake ARM server): from the first
    /// create until the window after all are Running ends, by <see cref="Stretch"/>, and the lowest ARM's throttling
    /// buckets fell to.
    /// </summary>
    /// <returns>Requests per pod per minute over the window, all Running; null when they did not all start.</returns>
    private async Task<double?> ArmAsync()
    {
        const string ns = "bench-aci";
        var count = options.AciPods;
        Progress($"ACI: {count} pods on the fake ARM, then ARM requests over {options.ArmWindow.TotalSeconds:F0} s");
        await using var watch = await PodWatch.StartAsync(client, ns);
        var from = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        await CreateAsync(ns, count, i =>
        {
            var pod = Pod($"aci-{i}", ["sleep", "3600"], "Always");
            pod.Spec.NodeSelector = new Dictionary<string, string> { ["type"] = "virtual-kubelet" };
            pod.Spec.Tolerations = [new V1Toleration { Key = "virtual-kubelet.io/provider", OperatorProperty = "Exists", Effect = "NoSchedule" }];
            var container = pod.Spec.Containers[0];
            container.Image = "mcr.microsoft.com/azuredocs/aci-helloworld";
            container.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") } };
            return pod;
        });
        if (!await PodWatch.UntilAsync(() => watch.Running.Count >= count, Deadline))
        {
            _notes.Add($"ACI: only {watch.Running.Count} of {count} pods reached Running; ARM requests not measured");
            return null;
        }

        Add(["ACI pods (fake ARM): created to all Running", count.ToString(CultureInfo.InvariantCulture), "-", "-", "-", BenchTable.Cell(Stopwatch.GetElapsedTime(start).TotalSeconds, 1)]);
        var running = DateTimeOffset.UtcNow;
        for (var waited = TimeSpan.Zero; waited < options.ArmWindow;)
        {
            var step = options.ArmWindow - waited < Stretch ? options.ArmWindow - waited : Stretch;
            await Task.Delay(step);
            waited += step;
            Progress($"ACI: {waited.TotalMinutes:F1} of {options.ArmWindow.TotalMinutes:F1} minutes");
        }

        var to = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1)); // the fake writes its log every half second
        var calls = ArmCall.ParseLog(await File.ReadAllTextAsync(Path.Combine(options.ArmDirectory!, "requests.tsv"))).Where(c => c.Time >= from && c.Time < to).ToArray();
        foreach (var stretch in ArmTally.Stretches(calls, from, to, Stretch, count))
        {
            _notes.Add($"ARM, {count} ACI pods, minutes {stretch.From.TotalMinutes:F1}-{stretch.To.TotalMinutes:F1} from the first create: {stretch.Reads} reads ({stretch.ReadsPerPodMinute:F3} per pod-minute), {stretch.Writes} writes, {stretch.Deletes} deletes");
        }

        _notes.Add($"ARM's throttling buckets (per principal and region), lowest level from the first create: reads {ArmTally.LowestLevel(calls, ArmOperation.Read, ArmBucket.Reads):F0} of {ArmBucket.Reads.Capacity:F0}, writes {ArmTally.LowestLevel(calls, ArmOperation.Write, ArmBucket.Writes):F0} of {ArmBucket.Writes.Capacity:F0} (below zero: ARM would have answered 429)");
        var window = calls.Where(c => c.Time >= running).ToArray();
        var minutes = (to - running).TotalMinutes;
        var perPodMinute = window.Length / (double)count / minutes;
        _notes.Add($"ARM requests per pod per minute, {count} ACI pods running, over {minutes:F1} minutes: {perPodMinute:F3} (reads {window.Count(c => c.Operation == ArmOperation.Read) / (double)count / minutes:F3})");
        await DeleteAllAsync(ns, count);
        return perPodMinute;
    }

    private async Task KubectlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(options.Kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} failed: {await error}{await output}");
        }
    }
}
