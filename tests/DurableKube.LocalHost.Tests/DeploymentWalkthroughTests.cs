using System.Text.Json;
using k8s;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// Deployments with the real kubectl, as the Kubernetes documentation runs them (concepts/workloads/controllers/deployment):
/// rollout status, set image, history, undo, restart, scale, pause and resume, delete; and with the official C# client.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class DeploymentWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static string Example(string name) => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", name);

    private async Task<string> RolloutStatusAsync(string ns, string name = "nginx-deployment")
    {
        var status = await host.KubectlOkAsync("rollout", "status", "-n", ns, "deployment/" + name, "--timeout=90s");
        Assert.EndsWith($"deployment \"{name}\" successfully rolled out\n", status, StringComparison.Ordinal);
        return status;
    }

    private async Task<JsonElement> ReplicaSetsAsync(string ns) =>
        JsonDocument.Parse(await host.KubectlOkAsync("get", "rs", "-n", ns, "-l", "app=nginx", "-o", "json")).RootElement.GetProperty("items");

    private static string ImageOf(JsonElement rs) =>
        rs.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString()!;

    private static int ReplicasOf(JsonElement rs) => rs.GetProperty("spec").GetProperty("replicas").GetInt32();

    [Fact]
    public async Task The_nginx_Deployment_rolls_out_to_a_new_image_and_back_with_kubectl()
    {
        var ns = E2E.UniqueNamespace("deploy");
        await E2E.CreateNamespaceAsync(host, ns);

        Assert.Contains("deployment.apps/nginx-deployment created", await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("deployment.yaml")), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        var table = await host.KubectlOkAsync("get", "deploy", "-n", ns);
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n", table);
        Assert.Matches(@"(?m)^nginx-deployment\s+3/3\s+3\s+3\s+\d+s\s*$", table);
        var wide = await host.KubectlOkAsync("get", "deploy", "-n", ns, "-o", "wide");
        Assert.Matches(@"(?m)^nginx-deployment\s+3/3\s+3\s+3\s+\d+s\s+nginx\s+nginx:1\.14\.2\s+app=nginx\s*$", wide);
        var pods = await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=nginx", "--show-labels");
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(pods, @"(?m)^nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]+-[a-z0-9]{5}\s+1/1\s+Running\s.*pod-template-hash="));

        Assert.Contains("deployment.apps/nginx-deployment image updated", await host.KubectlOkAsync("set", "image", "-n", ns, "deployment/nginx-deployment", "nginx=nginx:1.16.1"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        var rss = await ReplicaSetsAsync(ns);
        Assert.Equal(2, rss.GetArrayLength());
        Assert.Equal(3, rss.EnumerateArray().Single(rs => ImageOf(rs) == "nginx:1.16.1").GetProperty("status").GetProperty("availableReplicas").GetInt32());
        Assert.Equal(0, ReplicasOf(rss.EnumerateArray().Single(rs => ImageOf(rs) == "nginx:1.14.2")));

        var history = await host.KubectlOkAsync("rollout", "history", "-n", ns, "deployment/nginx-deployment");
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>", history);
        Assert.Contains("nginx:1.14.2", await host.KubectlOkAsync("rollout", "history", "-n", ns, "deployment/nginx-deployment", "--revision=1"), StringComparison.Ordinal);

        Assert.Contains("deployment.apps/nginx-deployment rolled back", await host.KubectlOkAsync("rollout", "undo", "-n", ns, "deployment/nginx-deployment"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        rss = await ReplicaSetsAsync(ns);
        Assert.Equal(2, rss.GetArrayLength());
        var back = rss.EnumerateArray().Single(rs => ImageOf(rs) == "nginx:1.14.2");
        Assert.Equal((3, "3"), (ReplicasOf(back), back.GetProperty("metadata").GetProperty("annotations").GetProperty("deployment.kubernetes.io/revision").GetString()));
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>", await host.KubectlOkAsync("rollout", "history", "-n", ns, "deployment/nginx-deployment"));

        Assert.Contains("deployment.apps/nginx-deployment restarted", await host.KubectlOkAsync("rollout", "restart", "-n", ns, "deployment/nginx-deployment"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        Assert.Equal(3, (await ReplicaSetsAsync(ns)).GetArrayLength());

        Assert.Contains("deployment.apps/nginx-deployment scaled", await host.KubectlOkAsync("scale", "-n", ns, "deployment/nginx-deployment", "--replicas=5"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        Assert.Matches(@"(?m)^nginx-deployment\s+5/5\s+5\s+5\s", await host.KubectlOkAsync("get", "deploy", "-n", ns));

        var described = await host.KubectlOkAsync("describe", "deploy", "-n", ns, "nginx-deployment");
        Assert.Matches(@"Replicas:\s+5 desired \| 5 updated \| 5 total \| 5 available \| 0 unavailable", described);
        Assert.Matches(@"RollingUpdateStrategy:\s+25% max unavailable, 25% max surge", described);
        Assert.Matches(@"Progressing\s+True\s+NewReplicaSetAvailable", described);
        Assert.Matches(@"NewReplicaSet:\s+nginx-deployment-\w+ \(5/5 replicas created\)", described);

        Assert.Contains("deployment.apps \"nginx-deployment\" deleted", await host.KubectlOkAsync("delete", "deploy", "-n", ns, "nginx-deployment"), StringComparison.Ordinal);
        await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "rs,pods", "-n", ns, "-o", "name"),
            names => names.Trim().Length == 0,
            Patience,
            "the ReplicaSets and pods of the deleted Deployment to go");
    }

    [Fact]
    public async Task A_paused_Deployment_does_not_roll_until_resumed_and_a_stuck_one_fails_rollout_status()
    {
        var ns = E2E.UniqueNamespace("pause");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("deployment.yaml"));
        await RolloutStatusAsync(ns);

        Assert.Contains("deployment.apps/nginx-deployment paused", await host.KubectlOkAsync("rollout", "pause", "-n", ns, "deployment/nginx-deployment"), StringComparison.Ordinal);
        await host.KubectlOkAsync("set", "image", "-n", ns, "deployment/nginx-deployment", "nginx=nginx:1.16.1");
        var paused = await Eventually.WaitAsync(
            async () => (await host.KubectlOkAsync("get", "deploy", "-n", ns, "nginx-deployment", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}")).Trim(),
            reason => reason == "DeploymentPaused",
            Patience,
            "the Deployment to show it is paused");
        Assert.Equal("DeploymentPaused", paused);
        Assert.Equal(1, (await ReplicaSetsAsync(ns)).GetArrayLength());

        Assert.Contains("deployment.apps/nginx-deployment resumed", await host.KubectlOkAsync("rollout", "resume", "-n", ns, "deployment/nginx-deployment"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        Assert.Equal(2, (await ReplicaSetsAsync(ns)).GetArrayLength());

        // A container that exits at once is never available for minReadySeconds: the deadline passes.
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: stuck
            spec:
              replicas: 1
              minReadySeconds: 3
              progressDeadlineSeconds: 5
              selector:
                matchLabels:
                  app: stuck
              template:
                metadata:
                  labels:
                    app: stuck
                spec:
                  containers:
                  - name: app
                    image: busybox
                    command: ["sh", "-c", "exit 1"]
            """));
        var stuck = await host.KubectlAsync("rollout", "status", "-n", ns, "deployment/stuck", "--timeout=90s");
        Assert.Equal(1, stuck.ExitCode);
        Assert.Contains("error: deployment \"stuck\" exceeded its progress deadline", stuck.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_Deployment_is_refused_with_the_API_servers_causes()
    {
        var ns = E2E.UniqueNamespace("baddeploy");
        await E2E.CreateNamespaceAsync(host, ns);
        var manifest = Path.Combine(host.Scratch, ns + "-bad.yaml");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(Example("deployment.yaml")))
            .Replace("  replicas: 3\n", "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n", StringComparison.Ordinal));

        var bad = await host.KubectlAsync("apply", "-n", ns, "-f", manifest);

        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_create_deployment_sends_protobuf_and_its_replicas_command_and_port_are_understood()
    {
        var ns = E2E.UniqueNamespace("createdeploy");
        await E2E.CreateNamespaceAsync(host, ns);

        Assert.Contains(
            "deployment.apps/web created",
            await host.KubectlOkAsync("create", "deployment", "web", "-n", ns, "--image=busybox:1.36", "--replicas=2", "--port=8080", "--", "sleep", "3600"),
            StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", await host.KubectlOkAsync("rollout", "status", "-n", ns, "deployment/web", "--timeout=90s"), StringComparison.Ordinal);
        var web = await host.KubectlOkAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].command} {.spec.template.spec.containers[0].ports[0].containerPort}");
        Assert.Equal("2 web [\"sleep\",\"3600\"] 8080", web.Trim());

        // replicas is a pointer in Go: an explicit 0 is sent, and means 0, not "unset".
        await host.KubectlOkAsync("create", "deployment", "idle", "-n", ns, "--image=busybox:1.36", "--replicas=0", "--", "sleep", "3600");
        Assert.Equal("0", (await host.KubectlOkAsync("get", "deployment", "idle", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());
    }

    [Fact]
    public async Task The_CSharp_client_creates_a_Deployment_reads_its_status_and_patches_its_scale()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("deployclient");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var labels = new Dictionary<string, string> { ["app"] = "web" };

        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 2,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "busybox:1.36", Command = ["sh", "-c", "sleep 3600"] }] },
                    },
                },
            },
            ns);
        Assert.Equal(("RollingUpdate", "25%", 10, 600), (created.Spec.Strategy.Type, created.Spec.Strategy.RollingUpdate.MaxSurge.Value, created.Spec.RevisionHistoryLimit, created.Spec.ProgressDeadlineSeconds));

        var available = await Eventually.WaitAsync(
            () => client.AppsV1.ReadNamespacedDeploymentStatusAsync("web", ns),
            d => d.Status?.AvailableReplicas == 2 && d.Status.UpdatedReplicas == 2,
            Patience,
            "two available replicas");
        Assert.Contains(available.Status.Conditions, c => c.Type == "Available" && c.Status == "True" && c.Reason == "MinimumReplicasAvailable");

        var scale = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", ns);
        Assert.Equal(3, scale.Spec.Replicas);
        await Eventually.WaitAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("web", ns),
            d => d.Status?.AvailableReplicas == 3,
            Patience,
            "three available replicas");
        var rss = await client.AppsV1.ListNamespacedReplicaSetAsync(ns, labelSelector: "app=web");
        Assert.Equal(3, rss.Items.Single().Spec.Replicas);
    }
}
