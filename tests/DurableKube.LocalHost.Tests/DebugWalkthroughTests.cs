using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests;

/// <summary><c>kubectl debug</c> with the real kubectl: an ephemeral container added to a running pod.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class DebugWalkthroughTests(LocalHostFixture host)
{
    [Fact]
    public async Task Kubectl_debug_adds_an_ephemeral_container_that_runs_once_beside_the_app()
    {
        var ns = E2E.UniqueNamespace("debug");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("run", "app", "-n", ns, "--image=busybox", "--command", "--", "sleep", "3600");
        await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/app", "--timeout=60s");

        var debug = await host.KubectlAsync("debug", "-n", ns, "pod/app", "--image=busybox", "--target=app", "--container=debugger", "--", "sh", "-c", "echo debugging $HOSTNAME; exit 3");
        Assert.True(debug.ExitCode == 0, debug.Output);

        var pod = await Eventually.WaitAsync(
            () => E2E.GetPodJsonAsync(host, ns, "app"),
            p => p.GetProperty("status").TryGetProperty("ephemeralContainerStatuses", out var s) && s[0].GetProperty("state").TryGetProperty("terminated", out _),
            TimeSpan.FromSeconds(60),
            "the ephemeral container to run and exit");

        var status = pod.GetProperty("status").GetProperty("ephemeralContainerStatuses")[0];
        Assert.Equal("debugger", status.GetProperty("name").GetString());
        Assert.Equal(3, status.GetProperty("state").GetProperty("terminated").GetProperty("exitCode").GetInt32());
        Assert.False(status.GetProperty("ready").GetBoolean());
        Assert.Equal("app", pod.GetProperty("spec").GetProperty("ephemeralContainers")[0].GetProperty("targetContainerName").GetString());
        Assert.Contains("debugging", await host.KubectlOkAsync("logs", "-n", ns, "app", "-c", "debugger"), StringComparison.Ordinal);

        // The pod runs on, its app untouched, and the ephemeral container is not restarted.
        Assert.Matches(@"(?m)^app\s+1/1\s+Running\s+0\s+", await host.KubectlOkAsync("get", "pods", "-n", ns));
        var again = await E2E.GetPodJsonAsync(host, ns, "app");
        Assert.Equal(0, again.GetProperty("status").GetProperty("ephemeralContainerStatuses")[0].GetProperty("restartCount").GetInt32());
        Assert.Matches(new Regex(@"Ephemeral Containers:\s+debugger:", RegexOptions.Multiline), await host.KubectlOkAsync("describe", "pod", "app", "-n", ns));
    }

    [Fact]
    public async Task Kubectl_debug_with_stdin_attaches_to_the_ephemeral_container_it_adds()
    {
        var ns = E2E.UniqueNamespace("debug-i");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("run", "app", "-n", ns, "--image=busybox", "--command", "--", "sleep", "3600");
        await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/app", "--timeout=60s");

        // kubectl debug -i adds the container with stdin, waits for it to run, then attaches: what is typed reaches the
        // shell and what it prints comes back; the shell's exit ends the session.
        var session = await LocalHostFixture.RunAsync(
            "bash",
            ["-c", $"(sleep 3; printf 'echo from-the-debugger $((6*7))\\nexit 0\\n') | timeout 60 kubectl --kubeconfig {host.Kubeconfig} debug -i -n {ns} pod/app --image=busybox --target=app --container=shell -- sh"],
            TimeSpan.FromMinutes(2));
        Assert.True(session.ExitCode == 0, session.Output);
        Assert.Contains("from-the-debugger 42", session.StandardOutput, StringComparison.Ordinal);

        var pod = await Eventually.WaitAsync(
            () => E2E.GetPodJsonAsync(host, ns, "app"),
            p => p.GetProperty("status").TryGetProperty("ephemeralContainerStatuses", out var s) && s[0].GetProperty("state").TryGetProperty("terminated", out _),
            TimeSpan.FromSeconds(60),
            "the debugging shell to exit");
        Assert.True(pod.GetProperty("spec").GetProperty("ephemeralContainers")[0].GetProperty("stdin").GetBoolean());
        Assert.Equal(0, pod.GetProperty("status").GetProperty("ephemeralContainerStatuses")[0].GetProperty("state").GetProperty("terminated").GetProperty("exitCode").GetInt32());
        Assert.Matches(@"(?m)^app\s+1/1\s+Running\s+0\s+", await host.KubectlOkAsync("get", "pods", "-n", ns));
    }

    [Fact]
    public async Task Kubectl_debug_it_gives_a_shell_on_a_terminal_in_the_ephemeral_container()
    {
        var ns = E2E.UniqueNamespace("debug-it");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("run", "app", "-n", ns, "--image=busybox", "--command", "--", "sleep", "3600");
        await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/app", "--timeout=60s");

        // The issue's own example, on a terminal (script): kubectl adds the container with stdin and tty, waits for it to
        // run and attaches. What is typed (Enter is "\r") reaches the shell on the container's terminal, which echoes it
        // and runs it; its exit ends the session and is the ephemeral container's exit code.
        var kubectl = $"kubectl --kubeconfig {host.Kubeconfig}";
        var running = $"{kubectl} get pod app -n {ns} -o jsonpath='{{.status.ephemeralContainerStatuses[0].state.running}}'";
        var session = await LocalHostFixture.RunAsync(
            "bash",
            ["-c", $"(until {running} | grep -q started; do sleep 0.5; done; sleep 2; printf 'echo from-the-debugger $((6*7)) $(tty)\\r'; sleep 1; printf 'exit 5\\r') | timeout 90 script -qfec \"{kubectl} debug -it -n {ns} pod/app --image=busybox --target=app --container=shell -- sh\" /dev/null"],
            TimeSpan.FromMinutes(2));

        Assert.True(session.ExitCode == 0, session.Output);
        // tty prints "not a tty" anywhere but on a terminal; the output is read line by line (the terminal's "\r" are gone).
        Assert.Matches(@"from-the-debugger 42 /dev/pts/\d+\n", session.StandardOutput);
        var pod = await Eventually.WaitAsync(
            () => E2E.GetPodJsonAsync(host, ns, "app"),
            p => p.GetProperty("status").TryGetProperty("ephemeralContainerStatuses", out var s) && s[0].GetProperty("state").TryGetProperty("terminated", out _),
            TimeSpan.FromSeconds(60),
            "the debugging shell to exit");
        Assert.True(pod.GetProperty("spec").GetProperty("ephemeralContainers")[0].GetProperty("tty").GetBoolean());
        Assert.Equal(5, pod.GetProperty("status").GetProperty("ephemeralContainerStatuses")[0].GetProperty("state").GetProperty("terminated").GetProperty("exitCode").GetInt32());
        Assert.Matches(@"from-the-debugger 42 /dev/pts/\d+", await host.KubectlOkAsync("logs", "-n", ns, "app", "-c", "shell"));
    }
}
