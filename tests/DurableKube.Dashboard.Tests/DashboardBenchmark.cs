using System.Diagnostics;
using System.Globalization;
using DurableKube.LocalHost.Tests;
using DurableKube.Testing;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace DurableKube.Dashboard.Tests;

/// <summary>
/// The dashboard's benchmark, run by hand (not part of the suite: speed belongs in benchmarks, not in timed tests):
/// <c>DURABLEKUBE_DASHBOARD_BENCH=1 dotnet test tests/DurableKube.Dashboard.Tests --filter DashboardBenchmark</c>
/// (<c>DURABLEKUBE_DASHBOARD_BENCH_PODS</c>, default 1000). It creates that many pods that stay Pending (their node
/// selector matches no node, so no process runs), opens the pods list and measures the first paint of its rows, then
/// relabels pods through the API and measures how soon after the last write the page has applied every event, and
/// feeds the list's own update path a thousand events to measure how many per second the page itself can apply.
/// Results go to the test output.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBenchmark(Browser host, ITestOutputHelper output)
{
    [ByHandFact("DURABLEKUBE_DASHBOARD_BENCH")]
    public async Task First_paint_and_update_rate_with_many_pods()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("DURABLEKUBE_DASHBOARD_BENCH_PODS") ?? "1000", CultureInfo.InvariantCulture);
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("dash-bench");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var created = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"p{i:D5}", Labels = new Dictionary<string, string> { ["bench"] = "1" } },
                Spec = new V1PodSpec
                {
                    NodeSelector = new Dictionary<string, string> { ["durablekube.io/bench"] = "nowhere" },
                    Containers = [new V1Container { Name = "app", Image = "busybox:1.36", Command = ["sleep", "3600"] }],
                },
            }, ns, cancellationToken: ct));
        output.WriteLine($"created {count} pods in {created.Elapsed.TotalSeconds:F1} s");

        var page = await host.OpenAsync($"/pods?namespace={ns}");
        await page.WaitForFunctionAsync($"() => window.__dashboardFirstPaint !== undefined && document.getElementById('pods-summary').textContent.startsWith('{count} pods')", null, new() { Timeout = 300_000 });
        var firstPaint = await page.EvaluateAsync<double>("() => window.__dashboardFirstPaint");
        var rendered = await page.Locator("[data-testid=pod-row]").CountAsync();
        output.WriteLine($"first paint of the list: {firstPaint:F0} ms ({rendered} rows in the DOM of {count})");

        // Live updates through the API: the page keeps up with the host's write rate if it applies the last event soon
        // after the last write is answered.
        var before = await page.EvaluateAsync<int>("() => window.__dashboardUpdates ?? 0");
        var changes = Math.Min(count, 300);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, changes), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}", V1Patch.PatchType.MergePatch), $"p{i:D5}", ns, cancellationToken: ct));
        var written = watch.Elapsed;
        await page.WaitForFunctionAsync($"() => (window.__dashboardUpdates ?? 0) >= {before + changes}", null, new() { Timeout = 300_000, PollingInterval = 10 });
        var applied = watch.Elapsed;
        output.WriteLine(
            $"{changes} label patches through the API in {written.TotalSeconds:F1} s ({changes / written.TotalSeconds:F1} writes/s); "
            + $"the page had applied every event {(applied - written).TotalMilliseconds:F0} ms after the last write was answered");

        // What the page itself can apply: watch events fed to the list's own update path (its map, the sort of every row,
        // the virtualised redraw), as fast as it takes them, until the frame after the last.
        const int synthetic = 1000;
        var elapsedMs = await page.EvaluateAsync<double>(
            """
            async (n) => {
              const live = window.__dashboardPods;
              const rows = [...live.items.values()];
              const began = performance.now();
              for (let i = 0; i < n; i++) {
                const row = structuredClone(rows[i % rows.length]);
                row.object.metadata.labels = { ...row.object.metadata.labels, synthetic: String(i) };
                live.apply({ type: 'MODIFIED', object: { rows: [row] } });
              }
              await new Promise((done) => requestAnimationFrame(() => done()));
              return performance.now() - began;
            }
            """,
            synthetic);
        output.WriteLine($"the page applies {synthetic} watch events of a {count}-pod list in {elapsedMs:F0} ms: {synthetic / (elapsedMs / 1000):F0} updates/s");

        await client.CoreV1.DeleteNamespaceAsync(ns);
    }
}

