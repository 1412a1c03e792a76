using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests;

/// <summary><c>kubectl apply --server-side</c> as on a cluster: create, re-apply, conflicts and their force, managed fields (issue 10, item 3).</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ServerSideApplyTests(LocalHostFixture host)
{
    private static string Example(string name) => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", name);

    [Fact]
    public async Task A_Deployment_is_applied_server_side_scaled_and_re_applied_with_the_conflict_Kubernetes_gives()
    {
        var ns = E2E.UniqueNamespace("ssa");
        await E2E.CreateNamespaceAsync(host, ns);
        var file = Example("deployment.yaml");

        Assert.Contains("deployment.apps/nginx-deployment serverside-applied", await host.KubectlOkAsync("apply", "--server-side", "-n", ns, "-f", file), StringComparison.Ordinal);
        await host.KubectlOkAsync("rollout", "status", "-n", ns, "deployment/nginx-deployment", "--timeout=90s");

        // The controller's status writes are its own fields: re-applying the user's spec does not conflict with them.
        Assert.Contains("serverside-applied", await host.KubectlOkAsync("apply", "--server-side", "-n", ns, "-f", file), StringComparison.Ordinal);
        var yaml = await host.KubectlOkAsync("get", "deploy", "nginx-deployment", "-n", ns, "-o", "yaml", "--show-managed-fields");
        Assert.Matches(@"(?m)^\s+manager: kubectl\n\s+operation: Apply$", yaml);
        Assert.Matches(@"(?m)^\s+subresource: status$", yaml);
        Assert.Contains("f:replicas: {}", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("managedFields", await host.KubectlOkAsync("get", "deploy", "nginx-deployment", "-n", ns, "-o", "yaml"), StringComparison.Ordinal);

        // kubectl scale takes .spec.replicas; applying the file's replicas again conflicts until forced.
        await host.KubectlOkAsync("scale", "-n", ns, "deployment/nginx-deployment", "--replicas=1");
        var conflict = await host.KubectlAsync("apply", "--server-side", "-n", ns, "-f", file);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Matches(new Regex("Apply failed with 1 conflict: conflict with \"kubectl[^\"]*\" with subresource \"scale\" using apps/v1: \\.spec\\.replicas"), conflict.Output);
        Assert.Contains("serverside-applied", await host.KubectlOkAsync("apply", "--server-side", "--force-conflicts", "-n", ns, "-f", file), StringComparison.Ordinal);
        Assert.Equal("3", (await host.KubectlOkAsync("get", "deploy", "nginx-deployment", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());
    }

    [Fact]
    public async Task Server_side_apply_over_a_client_side_applied_object_takes_its_fields_without_conflict()
    {
        var ns = E2E.UniqueNamespace("ssa-migrate");
        await E2E.CreateNamespaceAsync(host, ns);
        var file = Path.Combine(host.Scratch, ns + ".yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: a\n");
        Assert.Contains("configmap/settings created", await host.KubectlOkAsync("apply", "-n", ns, "-f", file), StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: b\n");
        Assert.Contains("configmap/settings serverside-applied", await host.KubectlOkAsync("apply", "--server-side", "-n", ns, "-f", file), StringComparison.Ordinal);

        Assert.Equal("b", (await host.KubectlOkAsync("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.mode}")).Trim());
        var yaml = await host.KubectlOkAsync("get", "configmap", "settings", "-n", ns, "-o", "yaml", "--show-managed-fields");
        Assert.Matches(@"(?m)^\s+manager: kubectl\n\s+operation: Apply$", yaml);

        // Another manager changing the field now conflicts with kubectl's apply.
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: c\n");
        var conflict = await host.KubectlAsync("apply", "--server-side", "--field-manager=other", "-n", ns, "-f", file);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\": .data.mode", conflict.Output, StringComparison.Ordinal);
    }
    [Fact]
    public async Task Apply_server_side_to_the_status_subresource_writes_status_under_its_own_manager()
    {
        var node = "ssa-status-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(host.Scratch, node + ".yaml");
        try
        {
            await File.WriteAllTextAsync(file, $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {node}\n");
            await host.KubectlOkAsync("apply", "--server-side", "-f", file);
            await File.WriteAllTextAsync(file, $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {node}\nstatus:\n  capacity:\n    cpu: \"2\"\n    pods: \"10\"\n");

            Assert.Contains($"node/{node} serverside-applied", await host.KubectlOkAsync("apply", "--server-side", "--subresource=status", "--field-manager=fake-kubelet", "-f", file), StringComparison.Ordinal);

            Assert.Equal("2", (await host.KubectlOkAsync("get", "node", node, "-o", "jsonpath={.status.capacity.cpu}")).Trim());
            var yaml = await host.KubectlOkAsync("get", "node", node, "-o", "yaml", "--show-managed-fields");
            Assert.Matches(@"(?m)^\s+manager: fake-kubelet\n\s+operation: Apply\n(\s+\S.*\n)*?\s+subresource: status$", yaml);
        }
        finally
        {
            await host.KubectlAsync("delete", "node", node, "--wait=false");
        }
    }
}
