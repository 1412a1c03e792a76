using System.Text.RegularExpressions;
using DurableKube.LocalHost.Tests;
using k8s;
using k8s.Models;
using Microsoft.Playwright;

namespace DurableKube.Dashboard.Tests;

/// <summary>
/// The dashboard where it used to break: the skip link and the hash router, the label and namespace filters (an
/// invalid selector's 400 shown once, not retried), the pods list on a 400 px window, and the sign-in lines up.sh
/// prints. Against the same local host and chromium as <see cref="DashboardBrowserTests"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardRobustnessBrowserTests(Browser host)
{
    /// <summary>What the API answers to <c>app in web</c> (a set needs parentheses): apimachinery's words.</summary>
    private const string InvalidSelector = "app in web";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static V1PodSpec Sleeping(string command = "sleep 3600") => new()
    {
        RestartPolicy = "Always",
        TerminationGracePeriodSeconds = 1,
        Containers = [new V1Container { Name = "app", Image = "busybox:1.36", Command = ["sh", "-c", command] }],
    };

    private static V1Pod Pod(string name, Dictionary<string, string>? labels = null, string command = "sleep 3600") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = Sleeping(command),
    };

    private async Task<(Kubernetes Client, string Namespace)> NamespaceAsync(string prefix)
    {
        var client = host.CreateClient();
        var ns = E2E.UniqueNamespace(prefix);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return (client, ns);
    }

    private static Task<string> HashAsync(IPage page) => page.EvaluateAsync<string>("() => location.hash");

    [GeneratedRegex(@"^\d+ \(\S+ ago\)$")]
    private static partial Regex RestartsWithTime();

    [BrowserFact]
    public async Task Following_the_skip_link_keeps_the_page_and_focuses_main_and_a_malformed_address_is_not_found()
    {
        var (client, ns) = await NamespaceAsync("dash-skip");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("kept"), ns);
        var page = await host.OpenAsync($"/pods?namespace={ns}");
        // Loaded afresh, as a user opens it: nothing has the focus yet.
        await Browser.ReloadAsync(page);
        var row = page.Locator("[data-testid=pod-row][data-name=kept]");
        await row.WaitForAsync(new() { Timeout = 120_000 });
        var route = await HashAsync(page);

        // The keyboard's first stop is the skip link; following it moves the focus to the main region, and the page
        // (its route, its rows) stays.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement?.textContent"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'main'");
        Assert.Equal(route, await HashAsync(page));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pods", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // An address that is a place in the page, not a route (a bookmark of #main), leaves the page as it is too.
        await page.EvaluateAsync("() => { location.hash = '#main'; }");
        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'main'");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pods", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // A route that is not valid percent-encoding is "Not found" with the reason, not "Loading…" for ever.
        await page.EvaluateAsync("() => { location.hash = '#/pods/%E0%A4%A'; }");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid percent-encoding");
        await Assertions.Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);

        // And the next link is followed as ever.
        await page.GetByRole(AriaRole.Link, new() { Name = "Pods", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pods", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.Context.CloseAsync();
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task The_pods_label_filter_shows_only_matching_pods_and_an_invalid_selector_shows_the_APIs_message_once()
    {
        var (client, ns) = await NamespaceAsync("dash-label");
        // A label of this test's own, so that the list across all namespaces holds only its pods.
        await client.CoreV1.CreateNamespacedPodAsync(Pod("web", new() { ["app"] = "web", ["test"] = ns }), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("db", new() { ["app"] = "db", ["test"] = ns }), ns);

        // All namespaces: a row's Delete names the pod with its namespace.
        var page = await host.OpenAsync($"/pods?labelSelector=test%3D{ns}");
        var rows = page.Locator("[data-testid=pod-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Delete pod {ns}/web", Exact = true })).ToHaveCountAsync(1);
        // The whole list's rows are counted (the header and two pods), not only those the virtualised list has drawn.
        await Assertions.Expect(page.GetByTestId("pods-table")).ToHaveAttributeAsync("aria-rowcount", "3");

        // The namespace <select> applies at once and keeps the selector; within a namespace the name is enough.
        await page.GetByLabel("Namespace", new() { Exact = true }).SelectOptionAsync(ns);
        await page.WaitForFunctionAsync($"() => location.hash === '#/pods?namespace={ns}&labelSelector=test%3D{ns}'");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete pod web", Exact = true })).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(rows).ToHaveCountAsync(2);

        // The label filter: only the matching pod.
        await page.GetByLabel("Label selector").FillAsync(" app=web ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("pods-summary")).ToHaveTextAsync($"1 pods in {ns} matching app=web", new() { Timeout = 60_000 });
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-name", "web");
        await Assertions.Expect(page.GetByTestId("pods-table")).ToHaveAttributeAsync("aria-rowcount", "2");
        Assert.Equal($"#/pods?namespace={ns}&labelSelector=app%3Dweb", await HashAsync(page));

        // An invalid selector: the API's 400 in the list, once; asked once, not again and again; no toast.
        var asked = 0;
        var encoded = Uri.EscapeDataString(InvalidSelector);
        page.Request += (_, request) =>
        {
            if (request.Url.Contains($"labelSelector={encoded}", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref asked);
            }
        };
        await page.GetByLabel("Label selector").FillAsync(InvalidSelector);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        var summary = page.GetByTestId("pods-summary");
        await Assertions.Expect(summary).ToHaveTextAsync(new Regex("^Cannot list pods: Error 400: unable to parse requirement: .+$"), new() { Timeout = 60_000 });
        var shown = await summary.TextContentAsync();

        // A retry would come after 0.5 s, then 1 s, 2 s: four seconds would see three.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(1, Volatile.Read(ref asked));
        await Assertions.Expect(summary).ToHaveTextAsync(shown!);
        await Assertions.Expect(rows).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#toast")).ToBeEmptyAsync();
        await page.Context.CloseAsync();
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task The_pods_list_fits_a_400_px_window_without_scrolling_sideways_and_shows_RESTARTS()
    {
        var (client, ns) = await NamespaceAsync("dash-narrow");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("crasher", command: "sleep 1; exit 3"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a-pod-with-a-name-much-longer-than-the-column"), ns);
        var page = await host.OpenAsync($"/pods?namespace={ns}", width: 400);

        // kubectl's RESTARTS of a crash-looping pod, the longest cell: "2 (3s ago)".
        var crasher = page.Locator("[data-testid=pod-row][data-name=crasher]");
        await Assertions.Expect(crasher.Locator("[data-col=restarts]")).ToHaveTextAsync(RestartsWithTime(), new() { Timeout = 120_000 });
        foreach (var column in new[] { "Name", "Ready", "Status", "Restarts" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = column, Exact = true })).ToBeVisibleAsync();
        }

        foreach (var cell in new[] { "[data-col=ready]", "[data-col=status]", "[data-col=restarts]", "a" })
        {
            await Assertions.Expect(crasher.Locator(cell)).ToBeVisibleAsync();
        }

        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= innerWidth"),
            $"the page scrolls sideways: {await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth")} px wide in a {await page.EvaluateAsync<int>("() => innerWidth")} px window");
        Assert.True(await page.EvaluateAsync<bool>("() => { const g = document.querySelector('[data-testid=pods-table]'); return g.scrollWidth <= g.clientWidth; }"),
            "the list scrolls sideways within itself");
        // Each row's RESTARTS is whole, not cut off.
        var cut = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('[data-testid=pod-row] [data-col=restarts], [data-testid=pod-row] [data-col=ready]')].filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent)");
        Assert.True(cut.Length == 0, "cut off: " + string.Join(", ", cut));
        await page.Context.CloseAsync();
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task The_controllers_list_filters_by_namespace_and_label_as_the_pods_list_does()
    {
        var (client, ns) = await NamespaceAsync("dash-ctlfilter");
        foreach (var tier in new[] { "front", "back" })
        {
            var labels = new Dictionary<string, string> { ["tier"] = tier };
            await client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
            {
                Metadata = new V1ObjectMeta { Name = tier, Labels = labels },
                Spec = new V1ReplicaSetSpec
                {
                    Replicas = 0,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = Sleeping() },
                },
            }, ns);
        }

        var page = await host.OpenAsync("/controllers");
        var replicaSets = page.GetByTestId("table-replicasets").Locator("[data-testid=controller-row]");
        await Assertions.Expect(page.Locator($"[data-testid=controller-row][data-namespace={ns}][data-name=front]")).ToHaveCountAsync(1, new() { Timeout = 120_000 });

        // The namespace <select>: only this namespace's ReplicaSets, in every kind's table.
        await page.GetByLabel("Namespace", new() { Exact = true }).SelectOptionAsync(ns);
        await page.WaitForFunctionAsync($"() => location.hash === '#/controllers?namespace={ns}'");
        await Assertions.Expect(replicaSets).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        Assert.All(await replicaSets.EvaluateAllAsync<string[]>("rows => rows.map((r) => r.dataset.namespace)"), n => Assert.Equal(ns, n));
        await Assertions.Expect(page.GetByTestId("table-jobs").Locator("tbody")).ToHaveTextAsync("None");

        // The label selector, sent to each kind's list and watch.
        await page.GetByLabel("Label selector").FillAsync("tier=front");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync($"() => location.hash === '#/controllers?namespace={ns}&labelSelector=tier%3Dfront'");
        await Assertions.Expect(replicaSets).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(replicaSets.First).ToHaveAttributeAsync("data-name", "front");

        // An invalid one: the API's message in each kind's section, in place of "Loading…".
        await page.GetByLabel("Label selector").FillAsync(InvalidSelector);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("error-replicasets")).ToContainTextAsync("Error 400: unable to parse requirement", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("error-cronjobs")).ToContainTextAsync("Error 400: unable to parse requirement");
        await Assertions.Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#toast")).ToBeEmptyAsync();
        await page.Context.CloseAsync();
        await client.CoreV1.DeleteNamespaceAsync(ns);
    }

    [BrowserFact]
    public async Task Up_sh_prints_where_to_sign_in_without_the_token_in_a_log_and_its_link_signs_in()
    {
        // up.sh again, its output a pipe (as a CI log or `| tee` is): the dashboard's address and where the sign-in
        // link is, but not the token.
        var up = await host.UpAsync();
        Assert.True(up.ExitCode == 0, up.Output);
        var linkFile = Path.Combine(host.RunDirectory, "dashboard.url");
        Assert.Contains($"Dashboard: {host.BaseAddress}ui/", up.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"sign in as admin: open the link in {linkFile}", up.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Token("admin"), up.Output, StringComparison.Ordinal);

        // The link signs in, also in a tab that shows the sign-in box already (a newcomer who opened the address first).
        var link = (await File.ReadAllTextAsync(linkFile)).Trim();
        Assert.Equal($"{host.BaseAddress}ui/#token={host.Token("admin")}", link);
        var page = await host.OpenAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.Equal("#/", await HashAsync(page));
        Assert.Equal(host.Token("admin"), await page.EvaluateAsync<string>("() => sessionStorage.getItem('durablekube.token')"));
        await page.Context.CloseAsync();
    }
}
