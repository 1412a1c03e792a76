namespace DurableKube.LocalHost.Tests;

/// <summary>
/// Events as a user meets them: <c>kubectl describe</c> says why a pod cannot start (a missing ConfigMap, a crash loop)
/// and what a ReplicaSet did, <c>kubectl get events</c> lists them sorted and by field selector, and
/// <c>kubectl events --for</c> shows one object's, and <c>kubectl get events --watch</c> prints them as they happen.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class EventsWalkthroughTests(LocalHostFixture host)
{
    private const string Pods = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: needs-config
        spec:
          containers:
          - name: app
            image: busybox:1.36
            command: ["sleep", "3600"]
            envFrom:
            - configMapRef:
                name: missing-settings
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: crasher
        spec:
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "exit 1"]
        """;

    private const string ReplicaSet = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: evweb
        spec:
          replicas: 2
          selector:
            matchLabels: {app: evweb}
          template:
            metadata:
              labels: {app: evweb}
            spec:
              containers:
              - name: app
                image: busybox:1.36
                command: ["sleep", "3600"]
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Describe_get_events_and_kubectl_events_say_why_a_pod_does_not_start()
    {
        var ns = E2E.UniqueNamespace("events");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, Pods));

        var configDescribed = await Eventually.WaitAsync(
            () => host.KubectlOkAsync("describe", "pod", "needs-config", "-n", ns),
            o => o.Contains("Error: configmap \"missing-settings\" not found", StringComparison.Ordinal),
            Deadline,
            "describe pod needs-config to show the CreateContainerConfigError event");
        Assert.Contains("CreateContainerConfigError", configDescribed, StringComparison.Ordinal);
        Assert.Contains($"Successfully assigned {ns}/needs-config to", configDescribed, StringComparison.Ordinal);
        Assert.Contains("default-scheduler", configDescribed, StringComparison.Ordinal);
        Assert.DoesNotContain("Events:              <none>", configDescribed, StringComparison.Ordinal);

        var crashDescribed = await Eventually.WaitAsync(
            () => host.KubectlOkAsync("describe", "pod", "crasher", "-n", ns),
            o => o.Contains($"Back-off restarting failed container app in pod crasher_{ns}", StringComparison.Ordinal),
            Deadline,
            "describe pod crasher to show the BackOff event");
        Assert.Contains("Started container app", crashDescribed, StringComparison.Ordinal);

        var listed = await host.KubectlOkAsync("get", "events", "-n", ns, "--sort-by=.lastTimestamp");
        Assert.StartsWith("LAST SEEN", listed, StringComparison.Ordinal);
        Assert.Contains("pod/crasher", listed, StringComparison.Ordinal);
        Assert.Contains("pod/needs-config", listed, StringComparison.Ordinal);
        Assert.Contains("BackOff", listed, StringComparison.Ordinal);

        var selected = await host.KubectlOkAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=crasher");
        Assert.Contains("pod/crasher", selected, StringComparison.Ordinal);
        Assert.DoesNotContain("needs-config", selected, StringComparison.Ordinal);

        var forPod = await host.KubectlOkAsync("events", "-n", ns, "--for", "pod/needs-config");
        Assert.Contains("configmap \"missing-settings\" not found", forPod, StringComparison.Ordinal);
        Assert.DoesNotContain("crasher", forPod, StringComparison.Ordinal);

        var newApi = await host.KubectlOkAsync("get", "events.v1.events.k8s.io", "-n", ns, "--field-selector", "regarding.name=crasher", "-o", "name");
        Assert.Contains("event.events.k8s.io/crasher.", newApi, StringComparison.Ordinal);

        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task Describe_replicaset_shows_the_pods_it_created()
    {
        var ns = E2E.UniqueNamespace("rsevents");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, ReplicaSet));

        var described = await Eventually.WaitAsync(
            () => host.KubectlOkAsync("describe", "rs", "evweb", "-n", ns),
            o => o.Split("Created pod: evweb-").Length - 1 >= 2,
            Deadline,
            "describe rs evweb to show two SuccessfulCreate events");

        Assert.Contains("SuccessfulCreate", described, StringComparison.Ordinal);
        Assert.Contains("replicaset-controller", described, StringComparison.Ordinal);
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }
    [Fact]
    public async Task Get_events_watch_prints_a_new_pods_events_as_they_happen_and_all_namespaces_sort_by_last_timestamp()
    {
        var ns = E2E.UniqueNamespace("evwatch");
        await E2E.CreateNamespaceAsync(host, ns);
        try
        {
            await host.KubectlOkAsync("run", "early", "-n", ns, "--image=busybox:1.36", "--restart=Never", "--command", "--", "sleep", "3600");
            await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/early", "--timeout=120s");
            await Eventually.WaitAsync(
                () => host.KubectlOkAsync("get", "events", "-n", ns), o => o.Contains("Started container early", StringComparison.Ordinal), Deadline, "early's Started event");

            // The watch lists what is there first (early's events), then follows: late's events can only come through the watch.
            using var watch = new KubectlProcess(host.Kubeconfig, "get", "events", "-n", ns, "--watch");
            await watch.WaitForAsync("Started container early", Deadline);
            await host.KubectlOkAsync("run", "late", "-n", ns, "--image=busybox:1.36", "--restart=Never", "--command", "--", "sleep", "3600");
            await watch.WaitForAsync($"Successfully assigned {ns}/late to", Deadline);
            var output = await watch.WaitForAsync("Started container late", Deadline);
            Assert.Matches(@"(?m)^\S+\s+Normal\s+Scheduled\s+pod/late\s+Successfully assigned", output);
            Assert.Matches(@"(?m)^\S+\s+Normal\s+Started\s+pod/late\s+Started container late", output);
            Assert.Equal("no", watch.Exited);

            var all = await host.KubectlOkAsync("get", "events", "-A", "--sort-by=.lastTimestamp");
            Assert.Matches(@"^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE", all);
            var lines = all.Split('\n').Where(l => l.StartsWith(ns + " ", StringComparison.Ordinal)).ToList();
            var earlyScheduled = lines.FindIndex(l => l.Contains("Successfully assigned " + ns + "/early", StringComparison.Ordinal));
            var lateStarted = lines.FindIndex(l => l.Contains("Started container late", StringComparison.Ordinal));
            Assert.True(earlyScheduled >= 0 && lateStarted > earlyScheduled, $"oldest first: early's Scheduled before late's Started:\n{string.Join('\n', lines)}");
        }
        finally
        {
            await host.KubectlAsync("delete", "namespace", ns, "--wait=false");
        }
    }
}
