using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Runtime;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

public sealed class PodLifecycleOrchestratorTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Pod Pod(string name, string restartPolicy, params string[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers = containers.Select(c => new V1Container { Name = c, Image = "busybox", Command = ["sh", "-c", $"run {c}"] }).ToList(),
        },
    };

    private void ExitWith(string podName, Func<ContainerLaunchKey, FakeBehavior> behavior) =>
        _harness.Runtime.Behavior = launch => launch.PodName == podName
            ? behavior(new ContainerLaunchKey(launch.Id.ContainerName, launch.Id.Attempt))
            : FakeBehavior.RunUntilStopped;

    [Theory]
    [InlineData("Never", 0, "Succeeded", "Completed")]
    [InlineData("Never", 3, "Failed", "Error")]
    [InlineData("OnFailure", 0, "Succeeded", "Completed")]
    public async Task A_container_that_exits_for_good_ends_the_pod_in_its_terminal_phase(string policy, int exitCode, string phase, string reason)
    {
        ExitWith("job", _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(50), exitCode));
        await _harness.CreatePodAsync(Pod("job", policy, "main"));

        var pod = await _harness.WaitForPodAsync("job", p => p.Status.Phase == phase);

        var status = pod.Status.ContainerStatuses.Single();
        Assert.Equal((exitCode, reason), (status.State.Terminated.ExitCode, status.State.Terminated.Reason));
        Assert.Equal(0, status.RestartCount);
        Assert.Equal("node-1", pod.Spec.NodeName);
        Assert.Single(_harness.Runtime.Launches);
    }

    [Fact]
    public async Task OnFailure_restarts_a_failed_container_until_it_succeeds()
    {
        ExitWith("retry", k => FakeBehavior.Exits(TimeSpan.FromMilliseconds(50), k.Attempt < 2 ? 1 : 0));
        await _harness.CreatePodAsync(Pod("retry", "OnFailure", "main"));

        var pod = await _harness.WaitForPodAsync("retry", p => p.Status.Phase == "Succeeded");

        var status = pod.Status.ContainerStatuses.Single();
        Assert.Equal(2, status.RestartCount);
        Assert.Equal(0, status.State.Terminated.ExitCode);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
    }

    [Theory]
    [InlineData(0, "Completed")]
    [InlineData(1, "Error")]
    public async Task Always_restarts_a_container_whatever_its_exit_code(int exitCode, string reason)
    {
        ExitWith("web", _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(30), exitCode));
        await _harness.CreatePodAsync(Pod("web", "Always", "main"));

        var pod = await _harness.WaitForPodAsync("web", p => p.Status.ContainerStatuses?.Single().RestartCount >= 3);

        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(reason, pod.Status.ContainerStatuses.Single().LastState.Terminated.Reason);
    }

    [Fact]
    public async Task A_crash_looping_container_waits_in_CrashLoopBackOff_with_the_kubelets_message()
    {
        ExitWith("crash", _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(20), 2));
        await _harness.CreatePodAsync(Pod("crash", "Always", "main"));

        var pod = await _harness.WaitForPodAsync("crash", p => p.Status.ContainerStatuses?.Single().State.Waiting?.Reason == "CrashLoopBackOff");

        var waiting = pod.Status.ContainerStatuses.Single().State.Waiting;
        Assert.Matches(@"^back-off \d+ms restarting failed container=main pod=crash_default\(" + pod.Metadata.Uid + @"\)$", waiting.Message);
    }

    [Fact]
    public async Task Init_containers_run_in_order_each_to_completion_before_the_app_containers()
    {
        ExitWith("init", k => k.Container.StartsWith("init", StringComparison.Ordinal)
            ? FakeBehavior.Exits(TimeSpan.FromMilliseconds(100), 0)
            : FakeBehavior.RunUntilStopped);
        var pod = Pod("init", "Always", "app-a", "app-b");
        pod.Spec.InitContainers = [new V1Container { Name = "init-1", Image = "busybox", Command = ["true"] }, new V1Container { Name = "init-2", Image = "busybox", Command = ["true"] }];
        await _harness.CreatePodAsync(pod);

        var running = await _harness.WaitForPodAsync("init", p => p.Status.Phase == "Running" && p.Status.ContainerStatuses.All(c => c.Ready == true));

        var order = _harness.Runtime.Launches.Select(l => l.Id.ContainerName).ToList();
        Assert.Equal(["init-1", "init-2"], order.Take(2));
        Assert.Equal(["app-a", "app-b"], order.Skip(2).Order());
        Assert.All(running.Status.InitContainerStatuses, s => Assert.Equal("Completed", s.State.Terminated.Reason));
        Assert.Equal("True", running.Status.Conditions.Single(c => c.Type == "Initialized").Status);
    }

    [Fact]
    public async Task A_failed_init_container_under_Never_fails_the_pod_and_no_app_container_starts()
    {
        ExitWith("initfail", _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(50), 7));
        var pod = Pod("initfail", "Never", "app");
        pod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "busybox", Command = ["false"] }];
        await _harness.CreatePodAsync(pod);

        var failed = await _harness.WaitForPodAsync("initfail", p => p.Status.Phase == "Failed");

        Assert.Equal(7, failed.Status.InitContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal("PodInitializing", failed.Status.ContainerStatuses.Single().State.Waiting.Reason);
        Assert.DoesNotContain(_harness.Runtime.Launches, l => l.Id.ContainerName == "app");
    }

    [Fact]
    public async Task In_a_multi_container_pod_each_container_follows_the_policy_on_its_own()
    {
        ExitWith("multi", k => k.Container == "worker" ? FakeBehavior.Exits(TimeSpan.FromMilliseconds(40), 1) : FakeBehavior.RunUntilStopped);
        await _harness.CreatePodAsync(Pod("multi", "OnFailure", "server", "worker"));

        var pod = await _harness.WaitForPodAsync("multi", p => p.Status.ContainerStatuses?.Single(c => c.Name == "worker") is { RestartCount: >= 2, State.Waiting.Reason: "CrashLoopBackOff" });

        Assert.Equal("Running", pod.Status.Phase);
        var server = pod.Status.ContainerStatuses.Single(c => c.Name == "server");
        Assert.Equal(0, server.RestartCount);
        Assert.NotNull(server.State.Running);
        Assert.Equal("False", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task A_container_without_a_command_waits_with_CreateContainerConfigError()
    {
        var pod = Pod("nocmd", "Always", "app");
        pod.Spec.Containers[0].Command = null;
        await _harness.CreatePodAsync(pod);

        var waiting = await _harness.WaitForPodAsync("nocmd", p => p.Status.ContainerStatuses?.Single().State.Waiting?.Reason == "CreateContainerConfigError");

        Assert.Equal("Pending", waiting.Status.Phase);
        Assert.Contains("has no command", waiting.Status.ContainerStatuses.Single().State.Waiting.Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Runtime.Launches);
    }

    [Fact]
    public async Task Deleting_a_running_pod_stops_its_containers_and_removes_it()
    {
        await _harness.CreatePodAsync(Pod("doomed", "Always", "main"));
        var running = await _harness.WaitForPodAsync("doomed", p => p.Status.Phase == "Running");

        await _harness.DeletePodAsync("doomed");
        await _harness.WaitForPodGoneAsync("doomed");

        Assert.Contains(running.Metadata.Uid, _harness.Runtime.RemovedSandboxes);
    }

    [Fact]
    public async Task A_container_that_ignores_SIGTERM_is_killed_when_the_grace_period_ends()
    {
        ExitWith("stubborn", _ => new FakeBehavior(IgnoresSigterm: true));
        await _harness.CreatePodAsync(Pod("stubborn", "Always", "main"));
        await _harness.WaitForPodAsync("stubborn", p => p.Status.Phase == "Running");

        await _harness.DeletePodAsync("stubborn", gracePeriodSeconds: 2);
        var deadline = (await _harness.GetPodAsync("stubborn"))!.Metadata.DeletionTimestamp!.Value;
        await _harness.WaitForPodGoneAsync("stubborn");

        var stops = _harness.Runtime.Stops.Select(s => (s.Mode, s.At)).ToList();
        Assert.Equal([StopMode.Graceful, StopMode.Kill], stops.Select(s => s.Mode));
        Assert.True(stops[1].At >= new DateTimeOffset(DateTime.SpecifyKind(deadline, DateTimeKind.Utc)), $"SIGKILL at {stops[1].At:O}, before the grace period ended at {deadline:O}");
    }

    [Fact]
    public async Task Deleting_a_pod_in_backoff_cancels_the_restart_and_removes_it_at_once()
    {
        await using var slow = await WorkflowHarness.StartAsync(new()
        {
            ["Kubelet:BackoffInitial"] = "00:01:00",
            ["Kubelet:BackoffMax"] = "00:05:00",
        });
        slow.Runtime.Behavior = _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(20), 1);
        await slow.CreatePodAsync(Pod("looping", "Always", "main"));
        await slow.WaitForPodAsync("looping", p => p.Status.ContainerStatuses?.Single().State.Waiting?.Reason == "CrashLoopBackOff");
        Assert.Equal(2, slow.Runtime.Launches.Count);

        await slow.DeletePodAsync("looping");
        await slow.WaitForPodGoneAsync("looping", TimeSpan.FromSeconds(10));

        Assert.Equal(2, slow.Runtime.Launches.Count);
    }

    [Fact]
    public async Task Signals_keep_flowing_across_continue_as_new_in_a_long_crash_loop()
    {
        // Tiny back-off: the pod crashes and restarts fast enough to continue as new several times
        // (every 50 turns of its loop), while exits keep arriving; then a deletion arrives in the middle of it.
        await using var fast = await WorkflowHarness.StartAsync(new()
        {
            ["Kubelet:BackoffInitial"] = "00:00:00.001",
            ["Kubelet:BackoffMax"] = "00:00:00.010",
        });
        fast.Runtime.Behavior = _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(5), 1);
        await fast.CreatePodAsync(Pod("marathon", "Always", "main"));

        var pod = await fast.WaitForPodAsync("marathon", p => p.Status.ContainerStatuses?.Single().RestartCount >= 60, TimeSpan.FromSeconds(90));
        await fast.DeletePodAsync("marathon");
        await fast.WaitForPodGoneAsync("marathon");

        Assert.Contains(pod.Metadata.Uid, fast.Runtime.RemovedSandboxes);
        // Every run started was a new attempt, none repeated or skipped.
        var attempts = fast.Runtime.Launches.Select(l => l.Id.Attempt).ToList();
        Assert.Equal(Enumerable.Range(0, attempts.Count), attempts);
    }

    [Fact]
    public async Task A_pod_with_no_node_to_go_to_is_unschedulable_until_one_registers()
    {
        // Retried only after ten minutes when nothing happens: the node's registration is what tries it again.
        await using var empty = await WorkflowHarness.StartAsync(new() { ["Kubelet:ScheduleRetry"] = "00:10:00" }, runNodeAgent: false);
        await empty.CreatePodAsync(Pod("waiting", "Always", "main"));

        var pending = await empty.WaitForPodAsync("waiting", p => p.Status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "Unschedulable") == true);
        Assert.Equal("no nodes available to schedule pods", pending.Status.Conditions.Single().Message);

        await empty.NodeAgent.HeartbeatAsync();
        var running = await empty.WaitForPodAsync("waiting", p => p.Status.Phase == "Running");
        Assert.Equal("node-1", running.Spec.NodeName);
    }

    [Fact]
    public async Task A_pod_that_waits_for_a_node_forever_continues_as_new_and_relists()
    {
        await using var empty = await WorkflowHarness.StartAsync(new() { ["Kubelet:ScheduleRetry"] = "00:00:00.100" }, runNodeAgent: false);
        var pod = await empty.CreatePodAsync(Pod("patient", "Always", "main"));
        var instanceId = PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);

        // Each retry is a turn of the loop: after 50 the history starts over, in a new execution
        // whose input asks for a relist first.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? input = null;
        while (DateTime.UtcNow < deadline)
        {
            input = (await empty.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.SerializedInput;
            if (input?.Contains("\"NeedsRelist\":true", StringComparison.Ordinal) == true)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Contains("\"NeedsRelist\":true", input, StringComparison.Ordinal);
        await empty.NodeAgent.HeartbeatAsync();
        await empty.WaitForPodAsync("patient", p => p.Status.Phase == "Running");
    }

    /// <summary>The container a fake launch is for, and its attempt.</summary>
    private sealed record ContainerLaunchKey(string Container, int Attempt);
}
