using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// Services with the real kubectl: health-checked pods serving on their own pod IPs behind a Service, its Endpoints and
/// EndpointSlices following the pods' readiness probes, the service and pod proxy routes, the local userspace proxy on the ClusterIP, kubectl expose and cluster-info.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed partial class ServiceWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static string Example(string name) => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", name);

    private async Task<string> RawAsync(string path)
    {
        var result = await host.KubectlAsync("get", "--raw", path);
        return result.ExitCode == 0 ? result.StandardOutput.TrimEnd('\n') : "error: " + result.Output;
    }

    [Fact]
    public async Task Three_pods_on_their_own_pod_IPs_serve_behind_a_Service_through_the_proxies_and_the_ClusterIP()
    {
        var ns = E2E.UniqueNamespace("svc");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("service.yaml"));
        await host.KubectlOkAsync("rollout", "status", "-n", ns, "deployment/web", "--timeout=120s");

        // Each pod has an address of its own from the pod range; hostIP is the node's.
        var pods = JsonDocument.Parse(await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "json")).RootElement.GetProperty("items");
        var names = pods.EnumerateArray().Select(p => p.GetProperty("metadata").GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        var ips = pods.EnumerateArray().Select(p => p.GetProperty("status").GetProperty("podIP").GetString()!).ToList();
        Assert.Equal(3, ips.Distinct().Count());
        var podPrefix = host.PodCidr[..host.PodCidr.IndexOf(".0.0/", StringComparison.Ordinal)] + ".";
        Assert.All(ips, ip => Assert.StartsWith(podPrefix, ip, StringComparison.Ordinal));
        Assert.All(pods.EnumerateArray(), p => Assert.Equal("127.0.0.1", p.GetProperty("status").GetProperty("hostIP").GetString()));

        // Endpoints and EndpointSlices follow the ready pods, in kubectl's columns.
        var endpoints = await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "endpoints", "web", "-n", ns, "-o", "json"),
            json => JsonDocument.Parse(json).RootElement.TryGetProperty("subsets", out var subsets) && subsets.GetArrayLength() > 0
                && subsets[0].TryGetProperty("addresses", out var addresses) && addresses.GetArrayLength() == 3,
            Patience,
            "3 ready addresses in the Endpoints");
        Assert.Equal(ips.Order(StringComparer.Ordinal), JsonDocument.Parse(endpoints).RootElement.GetProperty("subsets")[0].GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("ip").GetString()));
        var table = await host.KubectlOkAsync("get", "svc,endpoints,endpointslices", "-n", ns);
        Assert.Matches(@"(?m)^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$", table);
        var clusterIP = Regex.Match(table, @"(?m)^service/web\s+ClusterIP\s+(\S+)\s+<none>\s+80/TCP\s+\d+s$").Groups[1].Value;
        var servicePrefix = host.ServiceCidr[..host.ServiceCidr.IndexOf(".0.0/", StringComparison.Ordinal)] + ".";
        Assert.StartsWith(servicePrefix, clusterIP, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^NAME\s+ENDPOINTS\s+AGE$", table);
        Assert.Matches(@"(?m)^endpoints/web\s+\S+:8080,\S+:8080,\S+:8080\s+\d+s$", table);
        Assert.Matches(@"(?m)^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$", table);
        Assert.Matches(@"(?m)^endpointslice\.discovery\.k8s\.io/web-\w{5}\s+IPv4\s+8080\s+\S+,\S+,\S+\s+\d+s$", table);
        Assert.Matches(@"(?m)^web\s+ClusterIP\s+\S+\s+<none>\s+80/TCP\s+\d+s\s+app=web$", await host.KubectlOkAsync("get", "svc", "web", "-n", ns, "-o", "wide"));

        // The service proxy spreads requests over the three pods; the pod proxy reaches one pod.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.WaitAsync(
            async () =>
            {
                var answer = await RawAsync($"/api/v1/namespaces/{ns}/services/web:80/proxy/hello?x=1");
                if (Regex.Match(answer, @"^(\S+) /hello\?x=1$") is { Success: true } m)
                {
                    seen.Add(m.Groups[1].Value);
                }

                return seen.Count;
            },
            count => count == 3,
            Patience,
            "answers from all three pods through services/web:80/proxy");
        Assert.Equal(names, seen.Order(StringComparer.Ordinal));
        Assert.Equal($"{names[0]} /", await RawAsync($"/api/v1/namespaces/{ns}/pods/{names[0]}:8080/proxy/"));
        Assert.StartsWith($"{names[1]} /by-name", await RawAsync($"/api/v1/namespaces/{ns}/pods/{names[1]}:http/proxy/by-name"), StringComparison.Ordinal);
        Assert.Matches("^web-.* /$", await RawAsync($"/api/v1/namespaces/{ns}/services/web:http/proxy/"));
        var https = await host.KubectlAsync("get", "--raw", $"/api/v1/namespaces/{ns}/services/https:web:80/proxy/");
        Assert.NotEqual(0, https.ExitCode);
        Assert.Contains("the https scheme is not served", https.Output, StringComparison.Ordinal);

        // The official C# client reaches the Service through the proxy subresource too.
        using (var csharp = host.CreateClient())
        {
            await using var stream = await csharp.CoreV1.ConnectGetNamespacedServiceProxyWithPathAsync("web:80", ns, "from-csharp");
            using var reader = new StreamReader(stream);
            Assert.Matches(@"^web-\S+ /from-csharp$", await reader.ReadToEndAsync());
        }

        // kubectl proxy, then plain HTTP through it.
        await ThroughKubectlProxyAsync(ns);

        // A pod whose readiness probe fails (its /healthz answers 503 while the file "unready" exists) turns 0/1 without a
        // restart, leaves the Endpoints' addresses (to notReadyAddresses) and gets no requests; healthy again, it rejoins.
        await host.KubectlOkAsync("exec", "-n", ns, names[0], "--", "touch", "unready");
        await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "endpoints", "web", "-n", ns, "-o", "jsonpath={.subsets[*].notReadyAddresses[*].targetRef.name}/{.subsets[*].addresses[*].targetRef.name}"),
            text => text.StartsWith(names[0] + "/", StringComparison.Ordinal) && !text.EndsWith(names[0], StringComparison.Ordinal) && text.Split('/')[1].Split(' ').Length == 2,
            Patience,
            "the unready pod moved to notReadyAddresses");
        Assert.Matches($@"(?m)^{Regex.Escape(names[0])}\s+0/1\s+Running\s+0\s+", await host.KubectlOkAsync("get", "pods", "-n", ns));
        for (var i = 0; i < 8; i++)
        {
            Assert.DoesNotMatch($"^{Regex.Escape(names[0])} ", await RawAsync($"/api/v1/namespaces/{ns}/services/web:80/proxy/"));
        }

        await host.KubectlOkAsync("exec", "-n", ns, names[0], "--", "rm", "unready");
        await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "endpoints", "web", "-n", ns, "-o", "jsonpath={.subsets[*].addresses[*].targetRef.name}"),
            text => text.Split(' ').Length == 3,
            Patience,
            "the pod ready again among the addresses");
        Assert.Matches($@"(?m)^{Regex.Escape(names[0])}\s+1/1\s+Running\s+0\s+", await host.KubectlOkAsync("get", "pods", "-n", ns));

        // A POST with a body, and the backend's status and headers, through the C# client's HTTP.
        using (var http = host.CreateHttpClient())
        {
            using var posted = await http.PostAsync($"/api/v1/namespaces/{ns}/services/web:80/proxy/items", new StringContent("a body"));
            Assert.Equal(System.Net.HttpStatusCode.Created, posted.StatusCode);
            var pod = Assert.Single(posted.Headers.GetValues("X-Pod"));
            Assert.Equal($"{pod} got a body", await posted.Content.ReadAsStringAsync());
        }

        // A pod reaches the Service on its ClusterIP through the local proxy.
        var client = $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: client
            spec:
              restartPolicy: OnFailure
              containers:
              - name: client
                image: python:3
                command: ["python3", "-c", "import urllib.request; print('got', urllib.request.urlopen('http://{{clusterIP}}:80/from-a-pod', timeout=5).read().decode())"]
            """;
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, client));
        var logs = await Eventually.WaitAsync(
            async () => (await host.KubectlAsync("logs", "-n", ns, "client")).StandardOutput,
            output => output.Contains("got ", StringComparison.Ordinal),
            Patience,
            "the client pod's answer from the ClusterIP");
        Assert.Matches(@"got web-\S+ /from-a-pod", logs);

        // kubectl expose makes a Service from the Deployment's selector.
        Assert.Contains("service/web2 exposed", await host.KubectlOkAsync("expose", "deployment", "web", "-n", ns, "--name", "web2", "--port", "8000", "--target-port", "8080"), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^web2\s+ClusterIP\s+127\.\d+\.\d+\.\d+\s+<none>\s+8000/TCP\s+\d+s\s+app=web$", await host.KubectlOkAsync("get", "svc", "web2", "-n", ns, "-o", "wide"));
        await Eventually.WaitAsync(() => RawAsync($"/api/v1/namespaces/{ns}/services/web2:8000/proxy/"), answer => answer.StartsWith("web-", StringComparison.Ordinal), Patience, "an answer through web2");

        // Scaled to zero, the Service has no endpoints: 503 with Kubernetes' message.
        await host.KubectlOkAsync("scale", "deployment", "web", "-n", ns, "--replicas=0");
        var none = await Eventually.WaitAsync(
            () => RawAsync($"/api/v1/namespaces/{ns}/services/web:80/proxy/"),
            answer => answer.Contains("no endpoints available for service", StringComparison.Ordinal),
            Patience,
            "the 503 of a Service with no endpoints");
        Assert.Contains("Error from server (ServiceUnavailable): no endpoints available for service \"web\"", none, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^web\s+<none>\s+\d+s$", await host.KubectlOkAsync("get", "endpoints", "web", "-n", ns));

        // Deleting the Service gives its ClusterIP back and takes its Endpoints with it.
        await host.KubectlOkAsync("delete", "svc", "web", "-n", ns);
        await Eventually.WaitAsync(
            async () => (await host.KubectlAsync("get", "ipaddress", clusterIP)).ExitCode,
            code => code != 0,
            Patience,
            "the release of the ClusterIP");
        await Eventually.WaitAsync(
            async () => (await host.KubectlAsync("get", "endpoints", "web", "-n", ns)).Output,
            output => output.Contains("NotFound", StringComparison.Ordinal),
            Patience,
            "the removal of the Endpoints");
    }

    /// <summary>Runs <c>kubectl proxy</c> on a free port and asks the Service through it with plain HTTP.</summary>
    private async Task ThroughKubectlProxyAsync(string ns)
    {
        var start = new System.Diagnostics.ProcessStartInfo("kubectl", ["--kubeconfig", host.Kubeconfig, "proxy", "--port=0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var proxy = System.Diagnostics.Process.Start(start)!;
        try
        {
            var line = await proxy.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? string.Empty;
            var port = Regex.Match(line, @"Starting to serve on 127\.0\.0\.1:(\d+)").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(port), $"kubectl proxy said: {line}");
            using var http = new HttpClient();
            var answer = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/v1/namespaces/{ns}/services/web:80/proxy/through-kubectl-proxy"));
            Assert.Matches(@"^web-\S+ /through-kubectl-proxy$", answer);
        }
        finally
        {
            proxy.Kill();
            await proxy.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_Service_without_selector_has_the_Endpoints_its_user_writes_mirrored_in_EndpointSlices()
    {
        var ns = E2E.UniqueNamespace("svcmirror");
        await E2E.CreateNamespaceAsync(host, ns);
        static string Manifest(string addresses) => $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: ext
            spec:
              ports:
              - port: 80
            ---
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: ext
              labels:
                tier: db
            subsets:
            - addresses: [{{addresses}}]
              notReadyAddresses: [{ip: 192.0.2.20}]
              ports:
              - port: 5432
            """;
        async Task<string> SlicesAsync() =>
            (await host.KubectlOkAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=ext", "-o",
                "jsonpath={range .items[*]}{.metadata.labels.endpointslice\\.kubernetes\\.io/managed-by} {.metadata.ownerReferences[0].kind} {range .endpoints[*]}{.addresses[0]}/{.conditions.ready} {end};{end}")).Trim();

        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, Manifest("{ip: 192.0.2.10}, {ip: 192.0.2.11}")));

        await Eventually.WaitAsync(
            SlicesAsync,
            text => text == "endpointslicemirroring-controller.k8s.io Endpoints 192.0.2.10/true 192.0.2.11/true 192.0.2.20/false ;",
            Patience,
            "the Endpoints mirrored in one slice");
        var table = await host.KubectlOkAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=ext");
        Assert.Matches(@"(?m)^ext-\w{5}\s+IPv4\s+5432\s+192\.0\.2\.10,192\.0\.2\.11,192\.0\.2\.20\s+\d+s$", table);
        var labels = await host.KubectlOkAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=ext", "-o", "jsonpath={.items[0].metadata.labels.tier} {.items[0].metadata.annotations}");
        Assert.Equal("db", labels.Trim()); // the Endpoints' labels, not kubectl's last-applied-configuration

        // Updating the Endpoints updates its slice.
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, Manifest("{ip: 192.0.2.12}")));
        await Eventually.WaitAsync(
            SlicesAsync,
            text => text == "endpointslicemirroring-controller.k8s.io Endpoints 192.0.2.12/true 192.0.2.20/false ;",
            Patience,
            "the updated Endpoints mirrored");

        // Deleting it removes the slice; the Service stays.
        await host.KubectlOkAsync("delete", "endpoints", "ext", "-n", ns);
        await Eventually.WaitAsync(SlicesAsync, text => text.Length == 0, Patience, "the slice of the deleted Endpoints removed");
        Assert.Contains("No resources found", (await host.KubectlAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=ext")).Output, StringComparison.Ordinal);
        await host.KubectlOkAsync("get", "svc", "ext", "-n", ns);
    }

    [Fact]
    public async Task The_kubernetes_Service_names_the_API_and_cluster_info_prints_the_control_plane()
    {
        var service = await host.KubectlOkAsync("get", "svc", "kubernetes", "-n", "default", "-o", "json");
        var spec = JsonDocument.Parse(service).RootElement.GetProperty("spec");
        var first = host.ServiceCidr.Replace(".0.0/16", ".0.1", StringComparison.Ordinal);
        Assert.Equal(first, spec.GetProperty("clusterIP").GetString());
        var port = spec.GetProperty("ports")[0];
        Assert.Equal(("https", 443, host.Port), (port.GetProperty("name").GetString(), port.GetProperty("port").GetInt32(), port.GetProperty("targetPort").GetInt32()));
        Assert.Matches($@"(?m)^kubernetes\s+127\.0\.0\.1:{host.Port}\s+\d+", await host.KubectlOkAsync("get", "endpoints", "kubernetes", "-n", "default"));

        var info = await host.KubectlOkAsync("cluster-info");
        Assert.Contains($"Kubernetes control plane is running at https://127.0.0.1:{host.Port}", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_Services_and_taken_ClusterIPs_are_refused_with_Kubernetes_messages()
    {
        var ns = E2E.UniqueNamespace("svcbad");
        await E2E.CreateNamespaceAsync(host, ns);

        var twoPorts = await host.KubectlAsync("create", "-n", ns, "-f", E2E.Manifest(host, "apiVersion: v1\nkind: Service\nmetadata:\n  name: two\nspec:\n  ports:\n  - port: 80\n  - port: 81\n"));
        Assert.Contains("spec.ports[0].name: Required value", twoPorts.Output, StringComparison.Ordinal);

        var kubernetesIP = host.ServiceCidr.Replace(".0.0/16", ".0.1", StringComparison.Ordinal);
        var taken = await host.KubectlAsync("create", "-n", ns, "-f", E2E.Manifest(host, $"apiVersion: v1\nkind: Service\nmetadata:\n  name: taken\nspec:\n  clusterIP: {kubernetesIP}\n  ports:\n  - port: 80\n"));
        Assert.Contains($"failed to allocate IP {kubernetesIP}: provided IP is already allocated", taken.Output, StringComparison.Ordinal);

        var outside = await host.KubectlAsync("create", "-n", ns, "-f", E2E.Manifest(host, "apiVersion: v1\nkind: Service\nmetadata:\n  name: outside\nspec:\n  clusterIP: 10.0.0.5\n  ports:\n  - port: 80\n"));
        Assert.Contains("failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range", outside.Output, StringComparison.Ordinal);

        var changed = await host.KubectlAsync("create", "-n", ns, "-f", E2E.Manifest(host, "apiVersion: v1\nkind: Service\nmetadata:\n  name: fine\nspec:\n  ports:\n  - port: 80\n"));
        Assert.Equal(0, changed.ExitCode);
        var patch = await host.KubectlAsync("patch", "svc", "fine", "-n", ns, "-p", $$$"""{"spec":{"clusterIP":"{{{kubernetesIP}}}","clusterIPs":["{{{kubernetesIP}}}"]}}""");
        Assert.Contains("may not change once set", patch.Output, StringComparison.Ordinal);
    }
}
