namespace DurableKube.LocalHost.Tests;

/// <summary>
/// Events as a user meets them: <c>kubectl describe</c> says why a pod cannot start (a missing ConfigMap, a crash loop)
/// and what a ReplicaSet did, <c>kubectl get events</c> lists them sorted and by field selector, and
/// <c>kubectl events --for</c> shows one object's.
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
}
