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

    /// <summary>A StatefulSet's pod names in ordinal order: web-0, web-1, ...</summary>
    private static IEnumerable<string> Ordinals(string name, int count) => Enumerable.Range(0, count).Select(i => $"{name}-{i}");

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
    public async Task A_StatefulSets_page_lists_its_pods_in_ordinal_order_and_scales_and_restarts_it()
    {
        var (client, ns) = await NamespaceAsync("dash-sts");
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        await client.AppsV1.CreateNamespacedStatefulSetAsync(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 2,
                ServiceName = "web",
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = Pod("x", "sleep 3600").Spec },
            },
        }, ns);
        var page = await host.OpenAsync($"/controllers/statefulsets/{ns}/web");
        var names = page.GetByTestId("controller-pods").Locator("tbody tr td:first-child");
        await Assertions.Expect(names).ToHaveTextAsync(Ordinals("web", 2), new() { Timeout = 120_000 });

        // A deleted web-0 comes back under its name after web-1 was seen: it is still listed first.
        var first = (await client.CoreV1.ReadNamespacedPodAsync("web-0", ns)).Metadata.Uid;
        await client.CoreV1.DeleteNamespacedPodAsync("web-0", ns);
        var again = await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=web-0")).Items.FirstOrDefault(p => p.Metadata.DeletionTimestamp is null)?.Metadata.Uid,
            uid => uid is not null && uid != first, Patience, "web-0 to be created again");
        await Assertions.Expect(page.Locator("[data-testid=controller-pod][data-name=web-0]")).ToHaveAttributeAsync("data-uid", again!, new() { Timeout = 120_000 });
        await Assertions.Expect(names).ToHaveTextAsync(Ordinals("web", 2), new() { Timeout = 60_000 });

        // kubectl scale: from the page, to 3; web-2 joins the end and all three become Ready.
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale StatefulSet web" }).ClickAsync();
        await page.GetByRole(AriaRole.Spinbutton, new() { Name = "Replicas" }).FillAsync("3");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Scale", Exact = true }).ClickAsync();
        await Assertions.Expect(names).ToHaveTextAsync(Ordinals("web", 3), new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByTestId("desired")).ToHaveTextAsync("3", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("ready")).ToHaveTextAsync("3", new() { Timeout = 180_000 });
        Assert.Equal(3, (await client.AppsV1.ReadNamespacedStatefulSetAsync("web", ns)).Spec.Replicas);

        // kubectl rollout restart: the restartedAt annotation on the template, and a new revision to roll to.
        var before = (await client.AppsV1.ReadNamespacedStatefulSetAsync("web", ns)).Status?.UpdateRevision;
        await page.GetByRole(AriaRole.Button, new() { Name = "Restart StatefulSet web" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Restart" }).ClickAsync();
        await Eventually.WaitAsync(
            () => client.AppsV1.ReadNamespacedStatefulSetAsync("web", ns),
            sts => sts.Spec.Template.Metadata.Annotations?.ContainsKey("kubectl.kubernetes.io/restartedAt") == true
                && sts.Status?.UpdateRevision is { } revision && revision != before,
            Patience, "the restartedAt annotation and a new update revision");
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task A_Jobs_page_counts_its_completions_and_its_pods_read_Completed()
    {
        var (client, ns) = await NamespaceAsync("dash-job");
        await client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "thrice" },
            Spec = new V1JobSpec { Completions = 3, Template = new V1PodTemplateSpec { Spec = Pod("x", "exit 0", "Never").Spec } },
        }, ns);
        var page = await host.OpenAsync($"/controllers/jobs/{ns}/thrice");

        await Assertions.Expect(page.GetByTestId("succeeded")).ToHaveTextAsync("3", new() { Timeout = 180_000 });
        await Assertions.Expect(page.GetByTestId("completions")).ToHaveTextAsync("3/3");
        await Assertions.Expect(page.GetByTestId("failed")).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Complete", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=job-condition][data-type=Complete] td").Nth(1)).ToHaveTextAsync("True", new() { Timeout = 120_000 });
        // The pods' STATUS as kubectl prints it.
        await Assertions.Expect(page.GetByTestId("controller-pods").Locator("tbody tr td:nth-child(3)"))
            .ToHaveTextAsync(Enumerable.Repeat("Completed", 3), new() { Timeout = 120_000 });

        // The list: COMPLETIONS as kubectl get jobs prints it.
        var list = await host.OpenAsync($"/controllers?namespace={ns}");
        var row = list.GetByTestId("table-jobs").Locator("[data-testid=controller-row][data-name=thrice] td");
        await Assertions.Expect(row.Nth(2)).ToHaveTextAsync("Complete", new() { Timeout = 120_000 });
        await Assertions.Expect(row.Nth(3)).ToHaveTextAsync("3/3");
        Assert.Matches(@"(?m)^thrice\s+Complete\s+3/3\s", await host.KubectlOkAsync("get", "jobs", "-n", ns, "--no-headers"));
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task A_Job_past_its_backoff_limit_shows_the_Failed_condition_with_its_reason()
    {
        var (client, ns) = await NamespaceAsync("dash-jobfail");
        await client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "doomed" },
            Spec = new V1JobSpec { BackoffLimit = 0, Template = new V1PodTemplateSpec { Spec = Pod("x", "exit 1", "Never").Spec } },
        }, ns);
        var page = await host.OpenAsync($"/controllers/jobs/{ns}/doomed");

        var failed = page.Locator("[data-testid=job-condition][data-type=Failed] td");
        await Assertions.Expect(failed.Nth(1)).ToHaveTextAsync("True", new() { Timeout = 180_000 });
        await Assertions.Expect(failed.Nth(2)).ToHaveTextAsync("BackoffLimitExceeded");
        await Assertions.Expect(failed.Nth(3)).ToHaveTextAsync("Job has reached the specified backoff limit");
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Failed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("failed")).ToHaveTextAsync("1", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("succeeded")).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("controller-pods").Locator("tbody tr td:nth-child(3)"))
            .ToHaveTextAsync(Enumerable.Repeat("Error", 1), new() { Timeout = 120_000 });
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    private static V1CronJob NeverFiring(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1CronJobSpec
        {
            // Midnight on the first of January: not during a test.
            Schedule = "0 0 1 1 *",
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["team"] = "dash" },
                    Annotations = new Dictionary<string, string> { ["example.com/note"] = "from the template" },
                },
                Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = Pod("x", "echo ran; exit 0", "Never").Spec } },
            },
        },
    };

    [BrowserFact]
    public async Task Run_now_on_a_CronJobs_page_creates_a_Job_as_kubectl_create_job_from_does_and_lists_it_completing()
    {
        var (client, ns) = await NamespaceAsync("dash-cron");
        var cronJob = await client.BatchV1.CreateNamespacedCronJobAsync(NeverFiring("nightly"), ns);
        var page = await host.OpenAsync($"/controllers/cronjobs/{ns}/nightly");
        await Assertions.Expect(page.GetByTestId("schedule")).ToHaveTextAsync("0 0 1 1 *", new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByTestId("cronjob-jobs").Locator("tbody")).ToHaveTextAsync("None", new() { Timeout = 60_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Run CronJob nightly now" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var proposed = await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Job name" }).InputValueAsync();
        Assert.Matches("^nightly-manual-[a-z0-9]{3,5}$", proposed);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();

        // What kubectl create job --from=cronjob/nightly makes.
        var job = await Eventually.WaitAsync(
            async () => (await client.BatchV1.ListNamespacedJobAsync(ns)).Items.SingleOrDefault(),
            j => j is not null, Patience, "a Job");
        Assert.Equal(proposed, job!.Metadata.Name);
        Assert.Equal("manual", job.Metadata.Annotations["cronjob.kubernetes.io/instantiate"]);
        Assert.Equal("from the template", job.Metadata.Annotations["example.com/note"]);
        Assert.Equal("dash", job.Metadata.Labels["team"]);
        var owner = Assert.Single(job.Metadata.OwnerReferences);
        Assert.Equal(("batch/v1", "CronJob", "nightly", cronJob.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller == true));

        var row = page.Locator($"[data-testid=cronjob-job][data-name={proposed}]");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("Complete", new() { Timeout = 180_000 });
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1/1");
        await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("manual");
        await row.GetByRole(AriaRole.Link, new() { Name = proposed }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Job {proposed}", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("succeeded")).ToHaveTextAsync("1", new() { Timeout = 120_000 });
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task Suspend_and_Resume_on_a_CronJobs_page_patch_spec_suspend_and_a_viewer_is_told_no()
    {
        var (client, ns) = await NamespaceAsync("dash-suspend");
        await client.BatchV1.CreateNamespacedCronJobAsync(NeverFiring("nightly"), ns);

        // A viewer may look but not suspend: the API's 403 is shown.
        var viewer = await host.OpenAsync($"/controllers/cronjobs/{ns}/nightly", user: "viewer");
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Suspend CronJob nightly" }).ClickAsync(new() { Timeout = 120_000 });
        await viewer.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Assertions.Expect(viewer.GetByRole(AriaRole.Status)).ToContainTextAsync("Forbidden", new() { Timeout = 60_000 });
        Assert.False((await client.BatchV1.ReadNamespacedCronJobAsync("nightly", ns)).Spec.Suspend);
        await viewer.Context.CloseAsync();

        var page = await host.OpenAsync($"/controllers/cronjobs/{ns}/nightly");
        await Assertions.Expect(page.GetByTestId("suspend")).ToHaveTextAsync("False", new() { Timeout = 120_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend CronJob nightly" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Eventually.WaitAsync(
            async () => (await client.BatchV1.ReadNamespacedCronJobAsync("nightly", ns)).Spec.Suspend,
            suspended => suspended == true, Patience, "spec.suspend to be true");
        await Assertions.Expect(page.GetByTestId("suspend")).ToHaveTextAsync("True", new() { Timeout = 60_000 });

        // The list shows SUSPEND as kubectl get cronjobs does.
        var list = await host.OpenAsync($"/controllers?namespace={ns}");
        await Assertions.Expect(list.GetByTestId("table-cronjobs").Locator("[data-testid=controller-row][data-name=nightly] td").Nth(4))
            .ToHaveTextAsync("True", new() { Timeout = 120_000 });
        await list.Context.CloseAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume CronJob nightly" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Eventually.WaitAsync(
            async () => (await client.BatchV1.ReadNamespacedCronJobAsync("nightly", ns)).Spec.Suspend,
            suspended => suspended == false, Patience, "spec.suspend to be false");
        await Assertions.Expect(page.GetByTestId("suspend")).ToHaveTextAsync("False", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Suspend CronJob nightly" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
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
        await client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "once" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = Pod("x", "echo once", "Never").Spec } },
        }, ns);
        await client.BatchV1.CreateNamespacedCronJobAsync(NeverFiring("nightly"), ns);
        foreach (var (route, ready) in new[]
        {
            ("/", "[data-testid=phase-counts]"),
            ($"/pods?namespace={ns}", "[data-testid=pod-row]"),
            ($"/pods/{ns}/looked-at", "[data-testid=workflow-panel]"),
            ("/controllers", "[data-testid=table-replicasets]"),
            ($"/controllers/jobs/{ns}/once", "[data-testid=controller-pod]"),
            ($"/controllers/cronjobs/{ns}/nightly", "[data-testid=cronjob-jobs]"),
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
