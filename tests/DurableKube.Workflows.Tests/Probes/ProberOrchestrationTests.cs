using DurableKube.Ports.Runtime;
using System.Collections.Concurrent;
using DurableKube.Testing.Runtime;
using DurableKube.Workflows.Probes;
using DurableKube.Workflows.Tests.Events;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Tests.Probes;

/// <summary>The node's prober against the pods' real workflows (in-process Durable Task host, fake runtime, exec probes).</summary>
public sealed class ProberOrchestrationTests : IAsyncLifetime, IDisposable
{
    private readonly ProbeRunner _runner = new();
    private WorkflowHarness _harness = null!;
    private NodeProber _prober = null!;

    public async Task InitializeAsync()
    {
        _harness = await WorkflowHarness.StartAsync();
        var node = new NodeRuntime("node-1", _harness.Runtime);
        _prober = new NodeProber(
            node,
            _harness.Faults,
            _harness.Workflows,
            _runner,
            Options.Create(new ProbeOptions { RelistInterval = TimeSpan.FromSeconds(5), ResendInterval = TimeSpan.FromSeconds(5) }),
            TimeProvider.System,
            NullLogger<NodeProber>.Instance);
        await _prober.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _prober.StopAsync(CancellationToken.None);
        await _harness.DisposeAsync();
    }

    public void Dispose()
    {
        _prober.Dispose();
        _runner.Dispose();
    }

    private static V1Pod Pod(string name, Action<V1Container> probes)
    {
        var container = new V1Container { Name = "app", Image = "busybox", Command = ["sh", "-c", "serve"] };
        probes(container);
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { Containers = [container], TerminationGracePeriodSeconds = 2 },
        };
    }

    private static V1Probe Exec(string file, int failureThreshold = 1) => new()
    {
        Exec = new V1ExecAction { Command = ["cat", file] },
        PeriodSeconds = 1,
        FailureThreshold = failureThreshold,
    };

    private static string? Condition(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    [Fact]
    public async Task A_failing_liveness_probe_restarts_the_container_with_back_off_through_the_normal_exit_path()
    {
        _harness.Runtime.OnExec = (run, spec) => run.Attempt == 0 && _healthy
            ? new FakeExec(0, "ok")
            : new FakeExec(1, Stderr: "cat: healthy: No such file or directory\n");
        _healthy = true;
        await _harness.CreatePodAsync(Pod("live", c => c.LivenessProbe = Exec("healthy")));
        // The prober starts its worker once it sees the container running, so the first probe may come after the pod
        // reads Running: wait for a read that also has a probe run.
        await _harness.WaitForPodAsync(
            "live",
            p => p.Status?.ContainerStatuses?.Single().State.Running is not null
                && _harness.Runtime.Execs.Any(e => e.Spec.Command.SequenceEqual(["cat", "healthy"])));

        _healthy = false;

        // A sync launches the next run before it writes the last run's termination, so a pod read between the two
        // shows one launch more than restarts: wait for a read at which the kubelet's count and the runtime's
        // launches agree (each restart one launch), which a count that doubled or lost a restart never reaches.
        int LaunchesOf(V1Pod p) => _harness.Runtime.Launches.Count(l => l.Id.PodUid == p.Metadata.Uid);
        var pod = await _harness.WaitForPodAsync(
            "live",
            p => p.Status.ContainerStatuses.Single().RestartCount is var restarts && restarts >= 2 && restarts + 1 == LaunchesOf(p),
            TimeSpan.FromSeconds(40));

        var status = pod.Status.ContainerStatuses.Single();
        Assert.Equal(143, status.LastState.Terminated.ExitCode);
        Assert.Equal("Error", status.LastState.Terminated.Reason);

        // Each kill was a SIGTERM to a run that was running, one per restart: no restart counted twice.
        var stops = _harness.Runtime.Stops.Where(s => s.Run.PodUid == pod.Metadata.Uid).ToList();
        Assert.All(stops, s => Assert.Equal(StopMode.Graceful, s.Mode));
        Assert.Equal(stops.Count, stops.Select(s => s.Run.Attempt).Distinct().Count());
        Assert.Equal("Running", pod.Status.Phase);
    }

    private volatile bool _healthy;

    [Fact]
    public async Task A_readiness_probe_flips_the_container_and_the_pod_ready_and_back_without_a_restart()
    {
        _healthy = false;
        _harness.Runtime.OnExec = (_, _) => _healthy ? new FakeExec(0) : new FakeExec(1, "not yet");
        await _harness.CreatePodAsync(Pod("ready", c => c.ReadinessProbe = Exec("ready")));

        var pod = await _harness.WaitForPodAsync("ready", p => p.Status?.ContainerStatuses?.Single().State.Running is not null);
        Assert.False(pod.Status.ContainerStatuses.Single().Ready);
        Assert.Equal("False", Condition(pod, "Ready"));

        _healthy = true;
        pod = await _harness.WaitForPodAsync("ready", p => Condition(p, "Ready") == "True", TimeSpan.FromSeconds(20));
        Assert.True(pod.Status.ContainerStatuses.Single().Ready);
        Assert.Equal("True", Condition(pod, "ContainersReady"));

        _healthy = false;
        pod = await _harness.WaitForPodAsync("ready", p => Condition(p, "Ready") == "False", TimeSpan.FromSeconds(20));
        Assert.Equal(0, pod.Status.ContainerStatuses.Single().RestartCount);
        Assert.Equal("containers with unready status: [app]", pod.Status.Conditions.Single(c => c.Type == "Ready").Message);
        Assert.DoesNotContain(_harness.Runtime.Stops, s => s.Run.PodUid == pod.Metadata.Uid);
    }

    [Fact]
    public async Task A_prober_started_afresh_tells_a_ready_pod_its_failing_verdict_though_it_equals_the_initial_value()
    {
        _healthy = true;
        _harness.Runtime.OnExec = (_, _) => _healthy ? new FakeExec(0) : new FakeExec(1, "down");
        await _harness.CreatePodAsync(Pod("restarted", c => c.ReadinessProbe = Exec("ready")));
        await _harness.WaitForPodAsync("restarted", p => Condition(p, "Ready") == "True", TimeSpan.FromSeconds(20));

        // The host restarts: a new prober's readiness worker starts from Failure, the initial value, while the
        // pod's status (and its workflow) say ready; the probe now fails.
        await _prober.StopAsync(CancellationToken.None);
        _healthy = false;
        using var again = new NodeProber(
            new NodeRuntime("node-1", _harness.Runtime),
            _harness.Faults,
            _harness.Workflows,
            _runner,
            Options.Create(new ProbeOptions { RelistInterval = TimeSpan.FromSeconds(5), ResendInterval = TimeSpan.FromMinutes(5) }),
            TimeProvider.System,
            NullLogger<NodeProber>.Instance);
        await again.StartAsync(CancellationToken.None);
        try
        {
            var pod = await _harness.WaitForPodAsync("restarted", p => Condition(p, "Ready") == "False", TimeSpan.FromSeconds(20));
            Assert.False(pod.Status.ContainerStatuses.Single().Ready);
        }
        finally
        {
            await again.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_startup_probe_holds_liveness_off_until_it_succeeds()
    {
        _healthy = false;
        _harness.Runtime.OnExec = (_, spec) => spec.Command[1] == "started" && !_healthy ? new FakeExec(1, "starting") : new FakeExec(0);
        await _harness.CreatePodAsync(Pod("slow", c =>
        {
            c.StartupProbe = Exec("started", failureThreshold: 30);
            c.LivenessProbe = Exec("healthy");
        }));

        var pod = await _harness.WaitForPodAsync("slow", p => p.Status?.ContainerStatuses?.Single().State.Running is not null);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.DoesNotContain(_harness.Runtime.Execs, e => e.Spec.Command[1] == "healthy");
        pod = (await _harness.GetPodAsync("slow"))!;
        Assert.Equal((false, false), (pod.Status.ContainerStatuses.Single().Started, pod.Status.ContainerStatuses.Single().Ready));

        _healthy = true;
        pod = await _harness.WaitForPodAsync("slow", p => p.Status.ContainerStatuses.Single().Started == true, TimeSpan.FromSeconds(20));
        Assert.True(pod.Status.ContainerStatuses.Single().Ready);
        await _harness.WaitForPodAsync("slow", _ => _harness.Runtime.Execs.Any(e => e.Spec.Command[1] == "healthy"), TimeSpan.FromSeconds(20));
        Assert.Equal(0, (await _harness.GetPodAsync("slow"))!.Status.ContainerStatuses.Single().RestartCount);
    }

    /// <summary>Runs the test against a prober of its own that records its events (the class's prober is stopped first).</summary>
    private async Task WithRecordingProberAsync(RecordingEventRecorder events, Func<Task> test)
    {
        await _prober.StopAsync(CancellationToken.None);
        using var recording = new NodeProber(
            new NodeRuntime("node-1", _harness.Runtime),
            _harness.Faults,
            _harness.Workflows,
            _runner,
            Options.Create(new ProbeOptions { RelistInterval = TimeSpan.FromSeconds(5), ResendInterval = TimeSpan.FromMinutes(5) }),
            TimeProvider.System,
            NullLogger<NodeProber>.Instance,
            events);
        await recording.StartAsync(CancellationToken.None);
        try
        {
            await test();
        }
        finally
        {
            await recording.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_failed_probe_records_the_kubelets_Unhealthy_event_on_its_container()
    {
        var events = new RecordingEventRecorder();
        _harness.Runtime.OnExec = (_, _) => new FakeExec(1, Stderr: "cat: healthy: No such file or directory\n");
        await WithRecordingProberAsync(events, async () =>
        {
            var pod = await _harness.CreatePodAsync(Pod("sick", c => c.LivenessProbe = Exec("healthy", failureThreshold: 3)));
            await _harness.WaitForPodAsync("sick", _ => events.Reports.Any(r => r.Reason == "Unhealthy"), TimeSpan.FromSeconds(20));

            // pkg/kubelet/prober/prober.go: "%s probe failed: %s", a Warning from the kubelet on the container, each failure.
            var report = events.Reports.First(r => r.Reason == "Unhealthy");
            Assert.Equal(("kubelet", "node-1", "Warning"), (report.Component, report.Host, report.Type));
            Assert.Equal("Liveness probe failed: cat: healthy: No such file or directory", report.Message);
            Assert.Equal(("Pod", "sick", "default", pod.Metadata.Uid, "spec.containers{app}"), (report.Regarding.Kind, report.Regarding.Name, report.Regarding.NamespaceProperty, report.Regarding.Uid, report.Regarding.FieldPath));
        });
    }

    [Fact]
    public async Task A_slow_probe_does_not_stretch_its_period()
    {
        var looks = new ConcurrentQueue<DateTimeOffset>();
        _harness.Runtime.OnExec = (_, _) =>
        {
            looks.Enqueue(DateTimeOffset.UtcNow);
            return new FakeExec(0, "ok", Delay: TimeSpan.FromMilliseconds(1200));
        };
        var probe = Exec("ready");
        probe.PeriodSeconds = 2;
        probe.TimeoutSeconds = 5;
        await _harness.CreatePodAsync(Pod("slowprobe", c => c.ReadinessProbe = probe));
        await _harness.WaitForPodAsync("slowprobe", _ => looks.Count >= 4, TimeSpan.FromSeconds(30));

        // Every 2 s from the worker's start (the kubelet's ticker), not 2 s after each 1.2 s probe (3.2 s apart).
        var times = looks.ToList();
        var span = (times[3] - times[0]).TotalSeconds;
        Assert.InRange(span, 5.5, 7.5);
    }
}
