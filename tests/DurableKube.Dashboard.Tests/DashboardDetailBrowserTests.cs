using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using DurableKube.LocalHost.Tests;
using k8s;
using k8s.Models;
using Microsoft.Playwright;

namespace DurableKube.Dashboard.Tests;

/// <summary>
/// What the dashboard's detail pages say, read in a real browser and held to what the API and kubectl say: a
/// crash-looping pod's page (pending restart, colours, containers, conditions, events, workflow) and its row beside
/// kubectl's, a running pod's following logs, the overview, the workflow panels of controllers and their refresh,
/// scaling a Deployment and deleting a pod from their own pages, axe on the controller pages and an open dialog, and the
/// theme toggle. Each test keeps to one namespace of its own and checks as much as it naturally can in it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardDetailBrowserTests(Browser host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>The light theme's <c>--run-failed</c> (#d93025) as the browser computes it.</summary>
    private const string FailedRunColour = "rgb(217, 48, 37)";

    private static V1Pod Pod(string name, string command, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = PodSpec(command),
    };

    private static V1PodSpec PodSpec(string command) => new()
    {
        RestartPolicy = "Always",
        TerminationGracePeriodSeconds = 1,
        Containers = [new V1Container { Name = "app", Image = "busybox:1.36", Command = ["sh", "-c", command] }],
    };

    private static V1PodTemplateSpec Template(Dictionary<string, string> labels) =>
        new() { Metadata = new V1ObjectMeta { Labels = labels }, Spec = PodSpec("sleep 3600") };

    private async Task<(Kubernetes Client, string Namespace)> NamespaceAsync(string prefix)
    {
        var client = host.CreateClient();
        var ns = E2E.UniqueNamespace(prefix);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return (client, ns);
    }

    /// <summary>The text of each cell of a table's body, row by row.</summary>
    private static async Task<Rows> CellsAsync(ILocator table) =>
        new(await table.EvaluateAsync<string[][]>("t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()))"));

    /// <summary>A table's cells, printed row by row when a wait for them times out.</summary>
    private sealed record Rows(string[][] Cells)
    {
        public override string ToString() => string.Join(" / ", Cells.Select(r => string.Join(" | ", r)));
    }

    /// <summary>What the page shows of a pending restart, read at once (<see cref="PendingRestartScript"/>).</summary>
    private sealed record PendingRestart(string Waiting, string NextTimer, string NextTimerLocalTime, string Text, string MarkerTitle, bool MarkerAfterLastRun);

    private const string PendingRestartScript = """
        () => {
          const text = (s) => document.querySelector(s)?.textContent ?? '';
          const marker = document.querySelector('[data-testid=timeline-pending]');
          const next = document.querySelector('[data-testid=workflow-next-timer] time')?.getAttribute('datetime') ?? '';
          const starts = [...document.querySelectorAll('[data-testid=timeline-run]')].map((r) => Number(r.getAttribute('x')));
          return [text('[data-testid=workflow-waiting]'), next, next ? new Date(next).toLocaleTimeString() : '',
            text('[data-testid=pending-restart]'), marker?.querySelector('title')?.textContent ?? '',
            String(marker !== null && Number(marker.getAttribute('x1')) >= Math.max(...starts))];
        }
        """;

    /// <summary>What a workflow panel says its loop waits for, and its next timer: as shown, and its instant.</summary>
    private sealed record Waiting(string For, string NextTimer, string NextTimerAt);

    /// <summary>READY, STATUS and RESTARTS of a pod, as a row of the list or kubectl prints them.</summary>
    private sealed record PodColumns(string Ready, string Status, string Restarts);

    /// <summary>Reads an API path as JSON with the admin's token.</summary>
    private async Task<JsonElement> ReadJsonAsync(string path)
    {
        using var http = host.CreateHttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative)));
        return document.RootElement.Clone();
    }

    /// <summary>Runs axe on the page as it is, in the light and the dark theme: no serious or critical violations.</summary>
    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        foreach (var theme in new[] { "light", "dark" })
        {
            await page.EvaluateAsync("theme => document.documentElement.setAttribute('data-theme', theme)", theme);
            var results = await page.RunAxe();
            var bad = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            Assert.True(bad.Count == 0, $"{what} ({theme}): " + string.Join("; ", bad.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes: {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})")));
        }

        await page.EvaluateAsync("() => document.documentElement.removeAttribute('data-theme')");
    }

    /// <summary>
    /// kubectl's RESTARTS cell: <c>3</c>, or <c>3 (12s ago)</c> / <c>3 (2m5s ago)</c> once a container has restarted.
    /// </summary>
    /// <returns>The count and how long ago, in seconds (null without a restart).</returns>
    private static (int Count, int? AgoSeconds) ParseRestarts(string cell)
    {
        var match = Regex.Match(cell.Trim(), @"^(\d+)(?: \((?:(\d+)m)?(\d+)s ago\))?$");
        Assert.True(match.Success, $"RESTARTS \"{cell}\" is not as kubectl prints it");
        var count = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (!match.Groups[3].Success)
        {
            return (count, null);
        }

        var minutes = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return (count, (minutes * 60) + int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    [BrowserFact]
    public async Task A_crash_looping_pods_page_shows_its_pending_restart_containers_conditions_events_and_workflow_and_its_row_reads_as_kubectls()
    {
        var (client, ns) = await NamespaceAsync("dash-loop");
        var uid = (await client.CoreV1.CreateNamespacedPodAsync(Pod("crasher", "echo crashing; exit 3"), ns)).Metadata.Uid;
        var page = await host.OpenAsync($"/pods/{ns}/crasher");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=timeline-run][data-exit-code=\"3\"]').length >= 2", null, new() { Timeout = 120_000 });

        // In back-off: the loop waits for the kubelet's signal or its timer, the timer is the pending restart, and the
        // timeline marks it after the last run, its time in the marker's title and under the picture. One synchronous
        // read of the page, so that all of it comes from the same refresh.
        var pending = await Eventually.WaitAsync(
            async () =>
            {
                var s = await page.EvaluateAsync<string[]>(PendingRestartScript);
                return new PendingRestart(s[0], s[1], s[2], s[3], s[4], s[5] == "true");
            },
            p => p.Waiting == "signal kubelet or timer" && p.NextTimer.Length > 0 && p.MarkerAfterLastRun
                && p.Text == $"app: restart due at {p.NextTimerLocalTime}" && p.MarkerTitle == $"restart due at {p.NextTimerLocalTime}",
            Patience, "the pending restart on the timeline at the workflow's next timer");
        var due = DateTimeOffset.Parse(pending.NextTimer, CultureInfo.InvariantCulture);
        Assert.True((due - DateTimeOffset.UtcNow).Duration() < TimeSpan.FromSeconds(30), $"the restart is due at {due:O}, not within the back-off of now");

        // Exit code 3 is a failed run: its class, and the colour the legend gives it.
        var colours = await page.EvaluateAsync<string[]>("""
            () => [getComputedStyle(document.querySelector('.legend .key.run-failed')).backgroundColor,
              ...[...document.querySelectorAll('[data-testid=timeline-run][data-exit-code="3"]')].map((r) => `${r.classList.contains('run-failed')} ${getComputedStyle(r).fill}`)]
            """);
        Assert.Equal(FailedRunColour, colours[0]);
        Assert.All(colours.Skip(1), c => Assert.Equal($"true {FailedRunColour}", c));

        // The container in CrashLoopBackOff, the last run's exit in its last state.
        var containers = await Eventually.WaitAsync(
            () => CellsAsync(page.GetByTestId("containers")),
            r => r.Cells.Length == 1 && r.Cells[0].Length == 6 && r.Cells[0][2].StartsWith("Waiting: CrashLoopBackOff", StringComparison.Ordinal),
            Patience, "the container waiting in CrashLoopBackOff");
        var container = containers.Cells[0];
        Assert.Equal(new[] { "app", "busybox:1.36" }, container[..2]);
        Assert.Equal("no", container[3]);
        Assert.True(int.Parse(container[4], CultureInfo.InvariantCulture) >= 1, $"restarts {container[4]}");
        Assert.Equal("Terminated: Error, exit code 3", container[5]);

        var conditions = (await CellsAsync(page.GetByRole(AriaRole.Table, new() { Name = "Conditions", Exact = true }))).Cells.ToDictionary(r => r[0]);
        Assert.Equal(new[] { "Ready", "False", "ContainersNotReady" }, conditions["Ready"][..3]);
        Assert.Equal("False", conditions["ContainersReady"][1]);
        Assert.Equal("True", conditions["PodScheduled"][1]);

        // The events: the scheduler's, the kubelet's for each start, its back-off warning; the same reasons the API lists.
        var events = page.GetByRole(AriaRole.Table, new() { Name = "Events of this pod" });
        var rows = (await Eventually.WaitAsync(
            () => CellsAsync(events),
            r => r.Cells.All(e => e.Length == 6)
                && new[] { "Scheduled", "Pulled", "Created", "Started", "BackOff" }.All(reason => r.Cells.Any(e => e[1] == reason))
                && r.Cells.Where(e => e[1] == "Started").Sum(e => int.Parse(e[4], CultureInfo.InvariantCulture)) >= 2,
            Patience, "the pod's events, with two starts")).Cells;
        var backOff = rows.First(e => e[1] == "BackOff");
        Assert.Equal(("Warning", "kubelet", $"Back-off restarting failed container app in pod crasher_{ns}({uid})"), (backOff[0], backOff[3], backOff[5]));
        var listed = await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=crasher,involvedObject.kind=Pod");
        Assert.Equal(listed.Items.Select(e => e.Reason).Distinct().Order(), rows.Select(e => e[1]).Distinct().Order());

        // The workflow: its instance, running, and the history of its current execution (the local host gives it).
        await Assertions.Expect(page.GetByTestId("workflow-instance")).ToHaveTextAsync($"pod-{uid}");
        await Assertions.Expect(page.GetByTestId("workflow-status")).ToHaveTextAsync("Running (PodLifecycle)");
        await Eventually.WaitAsync(
            () => CellsAsync(page.GetByTestId("workflow-history")),
            h => h.Cells.Any(e => e.Length == 4 && e[1] == "TaskScheduled" && e[2] == "SyncPod")
                && h.Cells.Any(e => e.Length == 4 && e[1] == "TimerCreated" && e[3].StartsWith("fires at ", StringComparison.Ordinal)),
            Patience, "the history's SyncPod activity and a back-off timer");
        await page.Context.CloseAsync();

        // The list: STATUS and RESTARTS as kubectl get pods prints them at about the same moment. The page's "(Xs ago)"
        // is the server's cell at the pod's last change, so it may be behind kubectl's by the back-off (4 s at most here).
        var list = await host.OpenAsync($"/pods?namespace={ns}");
        var row = list.Locator("[data-testid=pod-row][data-name=crasher]");
        await row.WaitForAsync(new() { Timeout = 60_000 });
        var seen = await Eventually.WaitAsync(
            async () =>
            {
                // NAME READY STATUS RESTARTS AGE, columns apart by two spaces or more ("3 (12s ago)" has single ones).
                var line = Regex.Split((await host.KubectlOkAsync("get", "pod", "crasher", "-n", ns, "--no-headers")).Trim(), @"\s{2,}");
                var kubectl = new PodColumns(line[1], line[2], line[3]);
                var shown = new PodColumns(await row.Locator("[data-col=ready]").InnerTextAsync(), await row.Locator("[data-col=status]").InnerTextAsync(), await row.Locator("[data-col=restarts]").InnerTextAsync());
                return (Kubectl: kubectl, Page: shown);
            },
            s => s.Kubectl.Status == "CrashLoopBackOff" && ParseRestarts(s.Kubectl.Restarts).Count >= 2
                && (s.Page.Ready, s.Page.Status) == (s.Kubectl.Ready, s.Kubectl.Status)
                && ParseRestarts(s.Page.Restarts).Count == ParseRestarts(s.Kubectl.Restarts).Count,
            Patience, "the page's READY, STATUS and RESTARTS to be kubectl's for a pod in CrashLoopBackOff");
        var (kubectlAgo, pageAgo) = (ParseRestarts(seen.Kubectl.Restarts).AgoSeconds, ParseRestarts(seen.Page.Restarts).AgoSeconds);
        Assert.True(kubectlAgo is not null && pageAgo is not null && Math.Abs(kubectlAgo.Value - pageAgo.Value) <= 6,
            $"last restart {seen.Page.Restarts} on the page, {seen.Kubectl.Restarts} by kubectl");
        await list.Context.CloseAsync();
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task A_running_pods_logs_follow_the_overview_counts_and_places_it_and_its_own_page_deletes_it()
    {
        var (client, ns) = await NamespaceAsync("dash-ticker");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("ticker", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done"), ns);
        var page = await host.OpenAsync($"/pods/{ns}/ticker");

        // Following: the pane gains lines as they are written, each once and in order, and keeps those it had (a pane
        // that read the tail again would replace them).
        var logs = page.GetByTestId("logs");
        await Assertions.Expect(logs).ToContainTextAsync("tick 1", new() { Timeout = 120_000 });
        await page.EvaluateAsync("() => { window.firstLogLine = document.querySelector('[data-testid=logs]').firstChild; }");
        const string ticks = "() => [...document.querySelector('[data-testid=logs]').textContent.matchAll(/^tick (\\d+)$/gm)].map((m) => Number(m[1]))";
        var before = await page.EvaluateAsync<int[]>(ticks);
        await page.WaitForFunctionAsync($"n => ({ticks})().at(-1) >= n", before[^1] + 3, new() { Timeout = 30_000 });
        var after = await page.EvaluateAsync<int[]>(ticks);
        Assert.Equal(Enumerable.Range(after[0], after.Length), after);
        Assert.True(await page.EvaluateAsync<bool>("() => window.firstLogLine.isConnected"), "the pane was read again instead of followed");
        Assert.Equal(before[0], after[0]);

        // The overview, read once when it opens: the namespace with its pod, the local node with its capacity and
        // the pod placed on it, and the pods by phase as the API counts them at that moment.
        var overview = await host.OpenAsync("/");
        var namespaces = await CellsAsync(overview.GetByRole(AriaRole.Table, new() { Name = "Namespaces", Exact = true }));
        var mine = Assert.Single(namespaces.Cells, n => n[0] == ns);
        Assert.Equal(new[] { ns, "Active", "1" }, mine[..3]);
        Assert.Matches(@"^(\d+m)?\d+s$", mine[3]);

        var node = await ReadJsonAsync($"/api/v1/nodes/{host.NodeName}");
        // As the page writes them: "cpu: 2, memory: 8Gi, pods: 110", "-" for a resource the node does not state.
        string Resources(string which) => string.Join(", ", new[] { "cpu", "memory", "pods" }.Select(k =>
            $"{k}: {(node.GetProperty("status").TryGetProperty(which, out var r) && r.TryGetProperty(k, out var v) ? v.GetString() : "-")}"));
        var card = overview.Locator("article.card").Filter(new() { Has = overview.GetByRole(AriaRole.Heading, new() { Name = $"{host.NodeName} Ready", Exact = true, Level = 3 }) });
        await Assertions.Expect(card.Locator("p").Nth(0)).ToHaveTextAsync($"Capacity: {Resources("capacity")}");
        await Assertions.Expect(card.Locator("p").Nth(1)).ToHaveTextAsync($"Allocatable: {Resources("allocatable")}");
        await card.Locator("summary").ClickAsync();
        var placed = card.GetByRole(AriaRole.Listitem).Filter(new() { HasText = $"({ns}, " });
        await Assertions.Expect(placed).ToHaveTextAsync($"ticker ({ns}, Running)");
        await Assertions.Expect(placed.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"#/pods/{ns}/ticker");

        string[] phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown", "Terminating"];
        async Task<string> CountedAsync()
        {
            var pods = (await client.CoreV1.ListPodForAllNamespacesAsync()).Items;
            string PhaseOf(V1Pod p) => p.Metadata.DeletionTimestamp is not null ? "Terminating" : p.Status?.Phase ?? "Pending";
            return string.Join(", ", phases.Select(phase => $"{pods.Count(p => PhaseOf(p) == phase)} {phase}"));
        }

        var counts = await Eventually.WaitAsync(
            async () =>
            {
                var apiBefore = await CountedAsync();
                await Browser.ReloadAsync(overview);
                var shown = await overview.GetByTestId("phase-counts").EvaluateAsync<string[]>("ul => [...ul.children].map((li) => li.textContent)");
                return (Before: apiBefore, Shown: string.Join(", ", shown), After: await CountedAsync());
            },
            c => c.Before == c.After, Patience, "the pods to hold still while the overview reads them");
        Assert.Equal(counts.Before, counts.Shown);
        Assert.Matches(@"(^|, )[1-9]\d* Running(,|$)", counts.Shown);
        await overview.Context.CloseAsync();

        // Delete from the pod's own page: it asks, deletes, and goes to the namespace's pods, where the pod is gone.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete pod", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("ns => location.hash === `#/pods?namespace=${encodeURIComponent(ns)}`", ns, new() { Timeout = 60_000 });
        await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count,
            n => n == 0, Patience, "the pod deleted from its page to be gone");
        await Assertions.Expect(page.Locator("[data-testid=pod-row][data-name=ticker]")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await page.Context.CloseAsync();
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task A_Deployment_scaled_from_its_page_scales_its_ReplicaSet_and_the_controller_pages_show_their_workflows_and_pass_axe()
    {
        var (client, ns) = await NamespaceAsync("dash-ctl");
        var api = new Dictionary<string, string> { ["app"] = "api" };
        var db = new Dictionary<string, string> { ["app"] = "db" };
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1DeploymentSpec { Replicas = 1, Selector = new V1LabelSelector { MatchLabels = api }, Template = Template(api) },
        }, ns);
        var statefulSet = await client.AppsV1.CreateNamespacedStatefulSetAsync(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec { Replicas = 1, ServiceName = "db", Selector = new V1LabelSelector { MatchLabels = db }, Template = Template(db) },
        }, ns);

        // The Deployment's page: one ready pod, and its workflow waiting for a wake (or its resync timer).
        var page = await host.OpenAsync($"/controllers/deployments/{ns}/api");
        await Assertions.Expect(page.GetByTestId("ready")).ToHaveTextAsync("1", new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByTestId("controller-pods").Locator("tbody tr a")).ToHaveCountAsync(1);
        await AssertWorkflowPanelAsync(page, $"deploy-{deployment.Metadata.Uid}", "DeploymentController", "SyncDeployment");
        await AssertAccessibleAsync(page, "a Deployment's page");

        // Scale from the page: the dialog (axe with it open), then the Deployment, its ReplicaSet and their pods at 2.
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale Deployment api" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "the scale dialog");
        await dialog.GetByRole(AriaRole.Spinbutton, new() { Name = "Replicas" }).FillAsync("2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Scale", Exact = true }).ClickAsync();
        var replicaSet = await Eventually.WaitAsync(
            async () => (await client.AppsV1.ListNamespacedReplicaSetAsync(ns, labelSelector: "app=api")).Items.SingleOrDefault(),
            rs => rs?.Spec.Replicas == 2, Patience, "the Deployment's ReplicaSet scaled to 2");
        Assert.Equal(2, (await client.AppsV1.ReadNamespacedDeploymentAsync("api", ns)).Spec.Replicas);
        await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=api")).Items.Count(p => p.Metadata.DeletionTimestamp is null),
            n => n == 2, Patience, "two pods of the Deployment");
        await Assertions.Expect(page.GetByTestId("desired")).ToHaveTextAsync("2", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("controller-pods").Locator("tbody tr a")).ToHaveCountAsync(2, new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByTestId("ready")).ToHaveTextAsync("2", new() { Timeout = 120_000 });
        var revision = page.GetByTestId("rollout-history").Locator("tbody tr td");
        await Assertions.Expect(revision.Nth(1)).ToHaveTextAsync(replicaSet!.Metadata.Name);
        await Assertions.Expect(revision.Nth(2)).ToHaveTextAsync("2", new() { Timeout = 60_000 });
        await page.Context.CloseAsync();

        // The ReplicaSet's page: its workflow panel is read again every few seconds, while the object stays as it is.
        var rsPage = await host.OpenAsync($"/controllers/replicasets/{ns}/{replicaSet.Metadata.Name}");
        await Assertions.Expect(rsPage.GetByTestId("ready")).ToHaveTextAsync("2", new() { Timeout = 120_000 });
        await AssertWorkflowPanelAsync(rsPage, $"rs-{replicaSet.Metadata.Uid}", "ReplicaSetController", "SyncReplicaSet");
        await Eventually.WaitAsync(
            async () =>
            {
                var version = (await client.AppsV1.ReadNamespacedReplicaSetAsync(replicaSet.Metadata.Name, ns)).Metadata.ResourceVersion;
                var readAt = await rsPage.GetByTestId("workflow-read-at").Locator("time").GetAttributeAsync("datetime");
                await rsPage.WaitForFunctionAsync(
                    "at => document.querySelector('[data-testid=workflow-read-at] time')?.getAttribute('datetime') !== at", readAt, new() { Timeout = 15_000 });
                return version == (await client.AppsV1.ReadNamespacedReplicaSetAsync(replicaSet.Metadata.Name, ns)).Metadata.ResourceVersion;
            },
            unchanged => unchanged, Patience, "the workflow panel read again while the ReplicaSet did not change");
        await AssertAccessibleAsync(rsPage, "a ReplicaSet's page");
        await rsPage.Context.CloseAsync();

        // The StatefulSet's page.
        var stsPage = await host.OpenAsync($"/controllers/statefulsets/{ns}/db");
        await Assertions.Expect(stsPage.Locator("[data-testid=controller-pod][data-name=db-0]")).ToHaveCountAsync(1, new() { Timeout = 120_000 });
        await AssertWorkflowPanelAsync(stsPage, $"sts-{statefulSet.Metadata.Uid}", "StatefulSetController", "SyncStatefulSet");
        await AssertAccessibleAsync(stsPage, "a StatefulSet's page");
        await stsPage.Context.CloseAsync();
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    /// <summary>
    /// A controller's workflow panel: its instance, running <paramref name="orchestrator"/>, waiting for a wake (with its
    /// resync timer, then set, or without a timer), and its sync activity in the recent history.
    /// </summary>
    private static async Task AssertWorkflowPanelAsync(IPage page, string instanceId, string orchestrator, string activity)
    {
        await Assertions.Expect(page.GetByTestId("workflow-instance")).ToHaveTextAsync(instanceId, new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("workflow-status")).ToHaveTextAsync($"Running ({orchestrator})");
        var waiting = await Eventually.WaitAsync(
            async () =>
            {
                var w = await page.EvaluateAsync<string[]>("""
                    () => [document.querySelector('[data-testid=workflow-waiting]')?.textContent ?? '',
                      document.querySelector('[data-testid=workflow-next-timer]')?.textContent ?? '',
                      document.querySelector('[data-testid=workflow-next-timer] time')?.getAttribute('datetime') ?? '']
                    """);
                return new Waiting(w[0], w[1], w[2]);
            },
            w => w.For is "signal wake" or "signal wake or timer", Patience, $"{instanceId} to wait for a wake");
        if (waiting.For == "signal wake")
        {
            Assert.Equal("none", waiting.NextTimer);
        }
        else
        {
            // Its next sync: the resync, or sooner when the sync asked to look again.
            var due = DateTimeOffset.Parse(waiting.NextTimerAt, CultureInfo.InvariantCulture);
            var now = DateTimeOffset.UtcNow;
            Assert.True(due > now - TimeSpan.FromMinutes(1) && due < now + TimeSpan.FromMinutes(11), $"the next timer {due:O} is no resync of now {now:O}");
        }

        await Eventually.WaitAsync(
            () => CellsAsync(page.GetByTestId("workflow-history")),
            h => h.Cells.Any(e => e.Length == 4 && e[1] == "TaskScheduled" && e[2] == activity), Patience, $"{activity} in the recent history");
    }

    [BrowserFact]
    public async Task The_theme_toggle_switches_the_theme_and_a_reload_keeps_it()
    {
        var page = await host.OpenAsync("/");
        await page.GetByTestId("phase-counts").WaitForAsync(new() { Timeout = 60_000 });
        var html = page.Locator("html");
        var background = "() => getComputedStyle(document.body).backgroundColor";

        // The browser prefers light: no choice made yet, the light colours.
        Assert.Null(await html.GetAttributeAsync("data-theme"));
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>(background));

        foreach (var (label, theme, pressed, colour) in new[] { ("Dark theme", "dark", "true", "rgb(17, 20, 24)"), ("Light theme", "light", "false", "rgb(255, 255, 255)") })
        {
            await page.GetByRole(AriaRole.Button, new() { Name = label, Exact = true }).ClickAsync();
            for (var reloaded = 0; reloaded < 2; reloaded++)
            {
                await Assertions.Expect(html).ToHaveAttributeAsync("data-theme", theme);
                var toggle = page.Locator("#theme");
                await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", pressed);
                await Assertions.Expect(toggle).ToHaveTextAsync(theme == "dark" ? "Light theme" : "Dark theme");
                Assert.Equal(colour, await page.EvaluateAsync<string>(background));
                if (reloaded == 0)
                {
                    await Browser.ReloadAsync(page);
                    await page.GetByTestId("phase-counts").WaitForAsync(new() { Timeout = 60_000 });
                }
            }
        }

        await page.Context.CloseAsync();
    }
}
