using System.Globalization;
using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// <c>kubectl top</c> against the local host, as a user runs it: the metrics API (<c>metrics.k8s.io/v1beta1</c>)
/// computed from the process runtime's <c>/proc</c> figures.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class TopWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_pod_burning_cpu_shows_in_kubectl_top_pod_and_the_node_in_kubectl_top_node()
    {
        var ns = E2E.UniqueNamespace("top");
        await E2E.CreateNamespaceAsync(host, ns);
        var label = "top-" + ns[^8..];
        try
        {
            // Nothing runs there yet: kubectl says so, as against a metrics-server.
            var empty = await host.KubectlAsync("top", "pod", "-n", ns);
            Assert.True(empty.ExitCode == 0, empty.Output);
            Assert.Contains($"No resources found in {ns} namespace.", empty.StandardError, StringComparison.Ordinal);

            await host.KubectlOkAsync(
                "run", "burner", "-n", ns, "--image=busybox", "--restart=Never", "--labels=app=" + label,
                "--overrides={\"spec\":{\"terminationGracePeriodSeconds\":1}}", "--command", "--", "sh", "-c", "while :; do :; done");
            await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/burner", "--timeout=90s");

            // A busy loop uses a whole CPU when it gets one; on a loaded machine it still gets well over a tenth.
            var top = await Eventually.WaitAsync(
                () => host.KubectlOkAsync("top", "pod", "-n", ns),
                output => Regex.Match(output, @"(?m)^burner\s+(\d+)m\s+\d+Mi\s*$") is { Success: true } row
                    && int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture) > 100,
                Patience,
                "kubectl top pod showing the busy loop above 100m");
            Assert.Matches(@"^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n", top);

            var one = await host.KubectlOkAsync("top", "pod", "burner", "-n", ns, "--containers");
            Assert.Matches(@"^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n", one);
            Assert.Matches(@"(?m)^burner\s+burner\s+\d+m\s+\d+Mi\s*$", one);

            var selected = await host.KubectlOkAsync("top", "pod", "-A", "-l", "app=" + label);
            Assert.Matches($@"(?m)^{ns}\s+burner\s+\d+m\s+\d+Mi\s*$", selected);

            var nodes = await host.KubectlOkAsync("top", "node");
            Assert.Matches(@"^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\n", nodes);
            Assert.Matches($@"(?m)^{host.NodeName}\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$", nodes);

            // The ACI node's figures are in Azure Monitor, not in ARM: kubectl shows it without figures.
            Assert.Matches($@"(?m)^{host.AciNodeName}\s+<unknown>\s+<unknown>\s+<unknown>\s+<unknown>\s*$", nodes);

            var missing = await host.KubectlAsync("top", "pod", "nothing-here", "-n", ns);
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("podmetrics.metrics.k8s.io \"nothing-here\" not found", missing.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            await host.KubectlAsync("delete", "pod", "burner", "-n", ns, "--wait=false");
            await host.KubectlAsync("delete", "namespace", ns, "--wait=false");
        }
    }
}
