using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests;

/// <summary>The README's walkthrough with the real kubectl: the examples go through their phases as Kubernetes says.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class KubectlWalkthroughTests(LocalHostFixture host)
{
    private static string Example(string name) => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", name);

    [Fact]
    public async Task Get_nodes_shows_the_local_node_Ready()
    {
        var output = await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "nodes"),
            o => Regex.IsMatch(o, $@"{host.NodeName}\s+Ready\s"),
            TimeSpan.FromSeconds(30),
            "the node to be Ready");

        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION", output);
    }

    [Fact]
    public async Task Api_resources_lists_what_is_served()
    {
        var output = await host.KubectlOkAsync("api-resources");

        Assert.Matches(@"(?m)^pods\s+po\s+v1\s+true\s+Pod\s*$", output);
        Assert.Matches(@"(?m)^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$", output);
        Assert.Matches(@"(?m)^nodes\s+no\s+v1\s+false\s+Node\s*$", output);
    }

    [Fact]
    public async Task The_completing_example_runs_to_Completed_and_keeps_its_log()
    {
        var ns = E2E.UniqueNamespace("walk");
        await E2E.CreateNamespaceAsync(host, ns);

        Assert.Contains("pod/hello created", await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("pod-completes.yaml")), StringComparison.Ordinal);
        Assert.Contains("pod/hello unchanged", await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("pod-completes.yaml")), StringComparison.Ordinal);

        var table = await host.KubectlOkAsync("get", "pods", "-n", ns);
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE", table);

        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "hello"), s => s == "Completed", TimeSpan.FromSeconds(60), "hello to complete");
        var pod = await E2E.GetPodJsonAsync(host, ns, "hello");
        Assert.Equal("Succeeded", pod.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal(host.NodeName, pod.GetProperty("spec").GetProperty("nodeName").GetString());

        var log = await host.KubectlOkAsync("logs", "hello", "-n", ns);
        Assert.Contains($"Hello from hello on {host.NodeName}", log, StringComparison.Ordinal);
        Assert.EndsWith("done\n", log, StringComparison.Ordinal);
        Assert.Equal("done\n", await host.KubectlOkAsync("logs", "hello", "-n", ns, "--tail=1"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z Hello from", await host.KubectlOkAsync("logs", "hello", "-n", ns, "--timestamps"));

        Assert.Contains("pod \"hello\" deleted", await host.KubectlOkAsync("delete", "pod", "hello", "-n", ns), StringComparison.Ordinal);
        var gone = await host.KubectlAsync("get", "pod", "hello", "-n", ns);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("pods \"hello\" not found", gone.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_init_container_example_shows_its_progress_then_runs()
    {
        var ns = E2E.UniqueNamespace("init");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("pod-init-containers.yaml"));

        var seen = new List<string>();
        await Eventually.WaitAsync(
            async () =>
            {
                var status = await E2E.StatusColumnAsync(host, ns, "with-init");
                if (seen.Count == 0 || seen[^1] != status)
                {
                    seen.Add(status);
                }

                return status;
            },
            s => s == "Running",
            TimeSpan.FromSeconds(60),
            "with-init to run");

        Assert.Contains("Init:0/2", seen);
        Assert.Contains("Init:1/2", seen);
        Assert.Contains("fetched", await host.KubectlOkAsync("logs", "with-init", "-n", ns, "-c", "fetch-config"), StringComparison.Ordinal);
        Assert.Contains("serving request 0", await host.KubectlOkAsync("logs", "with-init", "-n", ns), StringComparison.Ordinal);
        await host.KubectlOkAsync("delete", "pod", "with-init", "-n", ns, "--grace-period=1");
    }

    [Fact]
    public async Task The_crash_loop_example_backs_off_and_keeps_the_previous_log()
    {
        var ns = E2E.UniqueNamespace("crash");
        await E2E.CreateNamespaceAsync(host, ns);
        Assert.Contains("pod/crasher created", await host.KubectlOkAsync("create", "-n", ns, "-f", Example("pod-crashloop.yaml")), StringComparison.Ordinal);
        var again = await host.KubectlAsync("create", "-n", ns, "-f", Example("pod-crashloop.yaml"));
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("pods \"crasher\" already exists", again.Output, StringComparison.Ordinal);

        var row = await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "pod", "crasher", "-n", ns, "--no-headers"),
            r => Regex.IsMatch(r, @"crasher\s+0/1\s+CrashLoopBackOff\s+[2-9]"),
            TimeSpan.FromSeconds(60),
            "crasher to crash-loop");
        Assert.Matches(@"\s[2-9] \(\d+s ago\)\s", row);

        var previous = await host.KubectlOkAsync("logs", "crasher", "-n", ns, "--previous");
        Assert.Contains("starting", previous, StringComparison.Ordinal);
        Assert.Contains("something went wrong", previous, StringComparison.Ordinal);

        var pod = await E2E.GetPodJsonAsync(host, ns, "crasher");
        var status = pod.GetProperty("status").GetProperty("containerStatuses")[0];
        Assert.Equal(3, status.GetProperty("lastState").GetProperty("terminated").GetProperty("exitCode").GetInt32());
        Assert.Equal("Error", status.GetProperty("lastState").GetProperty("terminated").GetProperty("reason").GetString());
        await host.KubectlOkAsync("delete", "pod", "crasher", "-n", ns);
    }

    [Fact]
    public async Task Apply_of_a_changed_manifest_patches_the_pod()
    {
        var ns = E2E.UniqueNamespace("apply");
        await E2E.CreateNamespaceAsync(host, ns);
        var manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: labelled
              labels:
                tier: one
            spec:
              containers:
              - name: app
                image: busybox:1.36
                command: ["sleep", "3600"]
            """;
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, manifest));

        var changed = manifest.Replace("tier: one", "tier: two", StringComparison.Ordinal);
        Assert.Contains("pod/labelled configured", await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, changed)), StringComparison.Ordinal);

        Assert.Matches(@"labelled\s.*\stwo\s*$", await host.KubectlOkAsync("get", "pod", "labelled", "-n", ns, "-L", "tier", "--no-headers"));
        await host.KubectlOkAsync("delete", "pod", "labelled", "-n", ns, "--grace-period=1");
    }

    [Fact]
    public async Task A_deleted_pod_leaves_no_process_behind()
    {
        var ns = E2E.UniqueNamespace("del");
        await E2E.CreateNamespaceAsync(host, ns);
        // A number of seconds no other process on the machine sleeps: it names the pod's processes.
        var token = "sleep 3" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: sleeper
            spec:
              containers:
              - name: app
                image: busybox:1.36
                command: ["sh", "-c", "{{token}} & {{token}} & wait"]
            """));
        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "sleeper"), s => s == "Running", TimeSpan.FromSeconds(60), "sleeper to run");
        Assert.True(E2E.AnyProcessWith(token));

        await host.KubectlOkAsync("delete", "pod", "sleeper", "-n", ns);

        Assert.False(E2E.AnyProcessWith(token), "the pod's process outlived the pod");
    }

    [Fact]
    public async Task Get_namespaces_lists_the_system_ones_and_applied_ones()
    {
        await host.KubectlOkAsync("apply", "-f", Example("namespace.yaml"));

        var output = await host.KubectlOkAsync("get", "namespaces");

        Assert.Matches(@"^NAME\s+STATUS\s+AGE", output);
        foreach (var name in new[] { "default", "kube-system", "kube-public", "demo" })
        {
            Assert.Matches($@"(?m)^{name}\s+Active\s", output);
        }
    }
}
