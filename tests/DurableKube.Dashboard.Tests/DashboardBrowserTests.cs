using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using DurableKube.LocalHost.Tests;
using k8s;
using k8s.Models;
using Microsoft.Playwright;

namespace DurableKube.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against the local host: what a user sees and does, checked against what kubectl
/// says. Generous deadlines (<see cref="Eventually"/>, Playwright's waits): CI runs these beside other projects on 2 cores.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(Browser host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static V1Pod Pod(string name, string command, string restartPolicy = "Always", Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 1,
            Containers = [new V1Container { Name = "app", Image = "busybox:1.36", Command = ["sh", "-c", command] }],
        },
    };

    /// <summary>
    /// Where the timeline test saves its screenshot: the README's <c>docs/images/dashboard.png</c> only when asked
    /// (<c>DURABLEKUBE_UPDATE_SCREENSHOT=1</c>), so that a test run leaves the checkout clean; otherwise the test's output directory.
    /// </summary>
    private static string ScreenshotPath()
    {
        var directory = Environment.GetEnvironmentVariable("DURABLEKUBE_UPDATE_SCREENSHOT") == "1"
            ? Path.Combine(Browser.RepositoryRoot, "docs", "images")
            : AppContext.BaseDirectory;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "dashboard.png");
    }

    private async Task<(Kubernetes Client, string Namespace)> NamespaceAsync(string prefix)
    {
        var client = host.CreateClient();
        var ns = E2E.UniqueNamespace(prefix);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return (client, ns);
    }

    [BrowserFact]
    public async Task A_crash_looping_pods_timeline_shows_its_runs_and_the_back_off_gaps()
    {
        var (client, ns) = await NamespaceAsync("dash-crash");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("crasher", "echo starting; sleep 1; exit 3"), ns);
        var page = await host.OpenAsync($"/pods/{ns}/crasher");

        // Runs of one second with exit code 3, gaps of the (scaled-down) back-off between them.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=timeline-run][data-exit-code=\"3\"]').length >= 3", null, new() { Timeout = 120_000 });
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=timeline-gap]').length >= 2", null, new() { Timeout = 60_000 });
        var runs = await page.GetByTestId("runs-table").Locator("tbody tr").CountAsync();
        Assert.True(runs >= 3, $"{runs} runs listed");
        Assert.Contains("Error", await page.GetByTestId("runs-table").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("workflow-instance")).ToContainTextAsync("pod-");
        await Assertions.Expect(page.GetByTestId("logs")).ToContainTextAsync("starting");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(), FullPage = false });
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task Scaling_a_ReplicaSet_from_its_page_changes_its_pods()
    {
        var (client, ns) = await NamespaceAsync("dash-scale");
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        await client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = Pod("x", "sleep 3600").Spec },
            },
        }, ns);
        var page = await host.OpenAsync($"/controllers/replicasets/{ns}/web");
        await Assertions.Expect(page.GetByTestId("controller-pods").Locator("tbody tr a")).ToHaveCountAsync(1, new() { Timeout = 120_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Scale ReplicaSet web" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Spinbutton, new() { Name = "Replicas" }).FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale", Exact = true }).ClickAsync();

        await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web")).Items.Count(p => p.Metadata.DeletionTimestamp is null),
            n => n == 3, Patience, "three pods of the ReplicaSet");
        await Assertions.Expect(page.GetByTestId("controller-pods").Locator("tbody tr a")).ToHaveCountAsync(3, new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByTestId("desired")).ToHaveTextAsync("3");
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task Restarting_a_Deployment_from_its_page_rolls_out_a_new_revision_its_history_shows()
    {
        var (client, ns) = await NamespaceAsync("dash-restart");
        var labels = new Dictionary<string, string> { ["app"] = "api" };
        await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = Pod("x", "sleep 3600").Spec },
            },
        }, ns);
        var page = await host.OpenAsync($"/controllers/deployments/{ns}/api");
        await Assertions.Expect(page.GetByTestId("rollout-history").Locator("tbody tr a")).ToHaveCountAsync(1, new() { Timeout = 120_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Restart Deployment api" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Restart" }).ClickAsync();

        // kubectl rollout restart's annotation on the template: a second ReplicaSet, revision 2.
        var deployment = await Eventually.WaitAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("api", ns),
            d => d.Spec.Template.Metadata.Annotations?.ContainsKey("kubectl.kubernetes.io/restartedAt") == true, Patience, "the restartedAt annotation");
        Assert.NotNull(deployment);
        await Eventually.WaitAsync(
            async () => (await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Count,
            n => n == 2, Patience, "a second ReplicaSet");
        await Assertions.Expect(page.GetByTestId("rollout-history").Locator("tbody tr a")).ToHaveCountAsync(2, new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByTestId("rollout-history").Locator("tbody tr").First).ToContainTextAsync("2");
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task A_deleted_pod_disappears_from_the_list_live_and_one_deleted_from_the_page_is_gone()
    {
        var (client, ns) = await NamespaceAsync("dash-delete");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("doomed", "sleep 3600"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("clicked", "sleep 3600"), ns);
        var page = await host.OpenAsync($"/pods?namespace={ns}");
        var doomed = page.Locator("[data-testid=pod-row][data-name=doomed]");
        var clicked = page.Locator("[data-testid=pod-row][data-name=clicked]");
        await Assertions.Expect(doomed).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(clicked).ToHaveCountAsync(1);

        await host.KubectlOkAsync("delete", "pod", "doomed", "-n", ns, "--wait=false");
        await Assertions.Expect(doomed).ToHaveCountAsync(0, new() { Timeout = 120_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete pod clicked" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name).ToList(),
            names => !names.Contains("clicked"), Patience, "the pod deleted from the page to be gone");
        await Assertions.Expect(clicked).ToHaveCountAsync(0, new() { Timeout = 120_000 });
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task The_pods_list_shows_kubectls_status_ready_and_restarts()
    {
        var (client, ns) = await NamespaceAsync("dash-match");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("sleeper", "sleep 3600"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("done", "exit 0", "Never"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("failed", "exit 2", "Never"), ns);
        await Eventually.WaitAsync(() => host.KubectlOkAsync("get", "pods", "-n", ns, "--no-headers"),
            text => text.Contains("Running", StringComparison.Ordinal) && text.Contains("Completed", StringComparison.Ordinal) && text.Contains("Error", StringComparison.Ordinal),
            Patience, "the pods to settle");
        var page = await host.OpenAsync($"/pods?namespace={ns}");

        foreach (var name in new[] { "sleeper", "done", "failed" })
        {
            var line = (await host.KubectlOkAsync("get", "pod", name, "-n", ns, "--no-headers")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var row = page.Locator($"[data-testid=pod-row][data-name={name}]");
            await Assertions.Expect(row.Locator("[data-col=ready]")).ToHaveTextAsync(line[1], new() { Timeout = 60_000 });
            await Assertions.Expect(row.Locator("[data-col=status]")).ToHaveTextAsync(line[2]);
            await Assertions.Expect(row.Locator("[data-col=restarts]")).ToHaveTextAsync(line[3]);
        }

        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task The_main_pages_have_no_serious_or_critical_accessibility_violations_in_either_theme()
    {
        var (client, ns) = await NamespaceAsync("dash-axe");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("looked-at", "echo hello; sleep 3600"), ns);
        foreach (var (route, ready) in new[]
        {
            ("/", "[data-testid=phase-counts]"),
            ($"/pods?namespace={ns}", "[data-testid=pod-row]"),
            ($"/pods/{ns}/looked-at", "[data-testid=workflow-panel]"),
            ("/controllers", "[data-testid=table-replicasets]"),
        })
        {
            var page = await host.OpenAsync(route);
            await page.Locator(ready).First.WaitForAsync(new() { Timeout = 120_000 });
            foreach (var theme in new[] { "light", "dark" })
            {
                await page.EvaluateAsync($"() => document.documentElement.setAttribute('data-theme', '{theme}')");
                var results = await page.RunAxe();
                var bad = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
                Assert.True(bad.Count == 0, $"{route} ({theme}): " + string.Join("; ", bad.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes: {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})")));
            }

            await page.Context.CloseAsync();
        }

        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task The_keyboard_alone_reaches_a_scale_action_and_confirms_it_on_a_narrow_window()
    {
        var (client, ns) = await NamespaceAsync("dash-keys");
        var labels = new Dictionary<string, string> { ["app"] = "keys" };
        await client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "keys" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = Pod("x", "sleep 3600").Spec },
            },
        }, ns);
        var page = await host.OpenAsync($"/controllers/replicasets/{ns}/keys", width: 400);
        await page.GetByTestId("controller-counts").WaitForAsync(new() { Timeout = 120_000 });
        await page.Locator("body").FocusAsync();

        var reached = false;
        for (var i = 0; i < 40 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("() => document.activeElement?.getAttribute('aria-label') === 'Scale ReplicaSet keys'");
        }

        Assert.True(reached, "Tab never reached the Scale button");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // The dialog focuses its field: type the number and confirm with Enter.
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("2");
        await page.Keyboard.PressAsync("Enter");
        await Eventually.WaitAsync(
            async () => (await client.AppsV1.ReadNamespacedReplicaSetAsync("keys", ns)).Spec.Replicas,
            r => r == 2, Patience, "the ReplicaSet scaled to 2");
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task A_viewers_refused_action_is_shown_not_swallowed()
    {
        var (client, ns) = await NamespaceAsync("dash-viewer");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("kept", "sleep 3600"), ns);
        var page = await host.OpenAsync($"/pods?namespace={ns}", user: "viewer");
        await page.Locator("[data-testid=pod-row][data-name=kept]").WaitForAsync(new() { Timeout = 120_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete pod kept" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Forbidden");
        Assert.NotNull(await client.CoreV1.ReadNamespacedPodAsync("kept", ns));
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }
}
