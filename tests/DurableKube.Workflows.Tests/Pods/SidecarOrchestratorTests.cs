using DurableKube.Ports.Runtime;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>Sidecar containers (init containers with <c>restartPolicy: Always</c>) through the pod's real workflow and the fake runtime.</summary>
public sealed class SidecarOrchestratorTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync(new()
    {
        ["Kubelet:BackoffInitial"] = "00:00:00.300",
        ["Kubelet:BackoffMax"] = "00:00:01.200",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Pod Pod(string name, string restartPolicy, params string[] sidecars) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 10,
            InitContainers = sidecars.Select(s => new V1Container { Name = s, Image = "busybox", Command = ["sh", "-c", $"serve {s}"], RestartPolicy = "Always" }).ToList(),
            Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sh", "-c", "run app"] }],
        },
    };

    private void Behave(string podName, Func<string, int, FakeBehavior> behavior) =>
        _harness.Runtime.Behavior = launch => launch.PodName == podName ? behavior(launch.Id.ContainerName, launch.Id.Attempt) : FakeBehavior.RunUntilStopped;

    private List<string> StoppedIn(V1Pod pod) =>
        _harness.Runtime.Stops.Where(s => s.Run.PodUid == pod.Metadata.Uid).Select(s => s.Run.ContainerName).ToList();

    [Fact]
    public async Task A_crashed_sidecar_restarts_after_its_back_off_and_the_running_app_is_neither_stopped_nor_held_back()
    {
        Behave("crashy", (container, _) => container == "proxy" ? FakeBehavior.Exits(TimeSpan.FromMilliseconds(50), 1) : FakeBehavior.RunUntilStopped);
        await _harness.CreatePodAsync(Pod("crashy", "Never", "proxy"));

        // CrashLoopBackOff like any container, with the kubelet's message and its own restart count.
        var waiting = await _harness.WaitForPodAsync(
            "crashy",
            p => p.Status?.InitContainerStatuses?.Single() is { RestartCount: >= 2, State.Waiting.Reason: "CrashLoopBackOff" });
        Assert.Matches(@"^back-off \d+ms restarting failed container=proxy pod=crashy_default\(" + waiting.Metadata.Uid + @"\)$", waiting.Status.InitContainerStatuses.Single().State.Waiting.Message);

        var pod = await _harness.WaitForPodAsync("crashy", p => p.Status.InitContainerStatuses.Single().RestartCount >= 4, TimeSpan.FromSeconds(30));

        var app = pod.Status.ContainerStatuses.Single();
        Assert.NotNull(app.State.Running);
        Assert.Equal(0, app.RestartCount);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Single(_harness.Runtime.Launches, l => l.Id.PodUid == pod.Metadata.Uid && l.Id.ContainerName == "app");
        Assert.Empty(StoppedIn(pod));

        // Each run of the sidecar started once, in order: no restart counted twice, none lost.
        var starts = _harness.Runtime.Launches.Where(l => l.Id.PodUid == pod.Metadata.Uid && l.Id.ContainerName == "proxy").Select(l => l.Id.Attempt).ToList();
        Assert.Equal(Enumerable.Range(0, starts.Count), starts);
    }

    [Fact]
    public async Task Deleting_a_pod_stops_the_app_then_its_sidecars_from_the_last_declared()
    {
        await _harness.CreatePodAsync(Pod("ordered", "Always", "s1", "s2", "s3"));
        var pod = await _harness.WaitForPodAsync("ordered", p => p.Status?.ContainerStatuses?.Single().State.Running is not null);

        await _harness.DeletePodAsync("ordered");
        await _harness.WaitForPodGoneAsync("ordered");

        Assert.Equal(["app", "s3", "s2", "s1"], StoppedIn(pod));
        Assert.All(_harness.Runtime.Stops.Where(s => s.Run.PodUid == pod.Metadata.Uid), s => Assert.Equal(StopMode.Graceful, s.Mode));
    }

    [Fact]
    public async Task A_Jobs_pod_completes_with_its_sidecars_running_and_they_stop_after_it_from_the_last_declared()
    {
        Behave("job", (container, _) => container == "app" ? FakeBehavior.Exits(TimeSpan.FromMilliseconds(300), 0) : FakeBehavior.RunUntilStopped);
        await _harness.CreatePodAsync(Pod("job", "Never", "s1", "s2"));

        var pod = await _harness.WaitForPodAsync("job", p => p.Status?.Phase == "Succeeded" && p.Status.InitContainerStatuses.All(s => s.State.Terminated is not null));

        Assert.Equal(["s2", "s1"], StoppedIn(pod));
        Assert.Equal("Completed", pod.Status.ContainerStatuses.Single().State.Terminated.Reason);
        Assert.All(pod.Status.InitContainerStatuses, s => Assert.Equal(143, s.State.Terminated.ExitCode));
    }
}
