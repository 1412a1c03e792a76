using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Pods;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

public sealed class SyncPodActivityTests
{
    private readonly SyncPodHarness _sync = new();

    private static V1Pod NewPod(string name, string? cpu = null, string? node = null, string phase = "Pending") => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name },
        Spec = new V1PodSpec
        {
            NodeName = node,
            RestartPolicy = "Always",
            Containers =
            [
                new V1Container
                {
                    Name = "app", Image = "busybox", Command = ["sleep", "60"],
                    Resources = cpu is null ? null : new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
                },
            ],
        },
        Status = new V1PodStatus { Phase = phase },
    };

    private async Task<SyncPodResult> BindAsync(V1Pod pod)
    {
        var state = PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes);
        return await _sync.Activity().RunAsync(new SyncPodRequest(state, [new BindPod()]));
    }

    private async Task<PodLifecycleState> RunningPodAsync(params string[] containers)
    {
        await _sync.StoreNodeAsync();
        var pod = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-1" },
            Spec = new V1PodSpec { RestartPolicy = "Always", Containers = containers.Select(c => new V1Container { Name = c, Image = "busybox", Command = ["sleep", "60"] }).ToList() },
            Status = new V1PodStatus { Phase = "Pending" },
        });
        var state = PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes);
        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands));
        return PodLifecycle.Apply(state, result.Outcomes);
    }

    [Fact]
    public async Task A_sync_acknowledges_the_exits_its_workflow_holds_and_not_those_it_finds_itself()
    {
        var state = await RunningPodAsync("app", "side");
        var app = new ContainerRunId("uid-1", "app", 0);
        var side = new ContainerRunId("uid-1", "side", 0);
        Assert.True(_sync.Runtime.Exit(app, 1));
        Assert.True(_sync.Runtime.Exit(side, 0));

        // The workflow has taken app's exit (the node agent's signal); side's it has not.
        var exited = PodLifecycle.Observe(state, new ContainerExited("app", 0, DateTimeOffset.UtcNow, 1));
        await _sync.Activity().RunAsync(new SyncPodRequest(exited, PodLifecycle.Plan(exited, DateTimeOffset.UtcNow).Commands));

        // The node agent stops reporting app's exit; side's it reports again until a workflow holds it.
        Assert.True(_sync.Runtime.Runs.Single(r => r.Id == app).Acknowledged);
        Assert.False(_sync.Runtime.Runs.Single(r => r.Id == side).Acknowledged);
    }

    [Fact]
    public async Task A_sync_redelivered_after_its_workflow_moved_on_starts_nothing_and_writes_nothing()
    {
        // The pod's container is at its run 2 on the node (runs 0 and 1 removed); the first sync the workflow ever made,
        // bind, sandbox and start of run 0, is delivered again after a crash.
        await _sync.StoreNodeAsync();
        var pod = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-1" },
            Spec = new V1PodSpec { NodeName = "node-1", RestartPolicy = "OnFailure", Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "60"] }] },
            Status = new V1PodStatus { Phase = "Pending" },
        });
        var stale = PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes);
        var commands = PodLifecycle.Plan(stale, DateTimeOffset.UtcNow).Commands;
        await _sync.Runtime.CreateSandboxAsync(new SandboxSpec("uid-1", "default", "web", "node-1"));
        await _sync.Runtime.StartContainerAsync(new ContainerLaunch(new ContainerRunId("uid-1", "app", 2), "default", "web", "busybox", ["sleep", "60"], [], null));

        await Assert.ThrowsAsync<ContainerRunSupersededException>(() => _sync.Activity().RunAsync(new SyncPodRequest(stale, commands)));

        Assert.Contains(commands, c => c is StartContainer { Attempt: 0 });
        Assert.Equal([2], _sync.Runtime.Launches.Select(l => l.Id.Attempt));
        var stored = (V1Pod?)await _sync.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"));
        Assert.Equal(pod.Metadata.ResourceVersion, stored!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_new_pod_is_bound_started_and_its_status_written_in_one_call()
    {
        var state = await RunningPodAsync("a", "b");

        var pod = (V1Pod?)await _sync.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"));
        Assert.Equal("node-1", pod!.Spec.NodeName);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.All(state.Containers, c => Assert.True(c.IsRunning));
        Assert.Equal(["a", "b"], _sync.Runtime.Launches.Select(l => l.Id.ContainerName));
    }

    [Fact]
    public async Task An_exit_is_written_as_Error_before_the_restart_and_before_CrashLoopBackOff_each_a_write_of_its_own()
    {
        var state = await RunningPodAsync("app");
        state = state with { WrittenRevision = state.Revision };
        var from = await _sync.Store.GetResourceVersionAsync();

        // The first exit restarts at once: Error, then Running.
        state = PodLifecycle.Observe(state, new ContainerExited("app", 0, DateTimeOffset.UtcNow, 1));
        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands));
        state = PodLifecycle.Apply(state, result.Outcomes);
        state = state with { WrittenRevision = state.Revision };

        // The second waits out its back-off: Error, then CrashLoopBackOff, and the workflow learns the back-off is shown.
        state = PodLifecycle.Observe(state, new ContainerExited("app", 1, DateTimeOffset.UtcNow, 1));
        var plan = PodLifecycle.Plan(state, DateTimeOffset.UtcNow);
        Assert.Empty(plan.Commands);
        result = await _sync.Activity().RunAsync(new SyncPodRequest(state, plan.Commands));
        Assert.Equal<KubeletOutcome>([new BackoffShown("app", 1)], result.Outcomes);

        Assert.Equal(["Error", "Running", "Error", "CrashLoopBackOff"], await PrintedStatusesAsync(from, count: 4));
    }

    private async Task<List<string>> PrintedStatusesAsync(string from, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var printed = new List<string>();
        await foreach (var change in _sync.Store.WatchAsync(ResourceTypes.Pods, "default", from, timeout.Token))
        {
            printed.Add(Domain.Printing.PodPrinter.Print((V1Pod)change.Object, DateTimeOffset.UtcNow).Status);
            if (printed.Count == count)
            {
                break;
            }
        }

        return printed;
    }

    [Fact]
    public async Task A_relist_reports_exits_the_workflow_missed_and_runs_the_runtime_lost()
    {
        var state = await RunningPodAsync("exited", "vanished", "alive");
        _sync.Runtime.Exit(new ContainerRunId("uid-1", "exited", 0), 3);
        _sync.Runtime.Forget(new ContainerRunId("uid-1", "vanished", 0));
        state = state with { NeedsRelist = true };

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new Relist()]));

        var exits = result.Outcomes.OfType<RunExited>().Select(r => r.Exit).ToDictionary(e => e.Name);
        Assert.Equal(3, exits["exited"].ExitCode);
        Assert.Equal(137, exits["vanished"].ExitCode);
        Assert.Equal("ContainerStatusUnknown", exits["vanished"].Reason);
        Assert.False(exits.ContainsKey("alive"));
        Assert.IsType<Relisted>(result.Outcomes[^1]);
    }

    [Fact]
    public async Task A_pod_deleted_behind_the_workflows_back_is_noticed_on_the_next_sync()
    {
        var state = await RunningPodAsync("app");
        await _sync.Store.DeleteAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"));

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new StartContainer("app", 1)]));

        var observed = Assert.IsType<DeletionObserved>(Assert.Single(result.Outcomes));
        Assert.True(observed.ObjectGone);
    }

    [Fact]
    public async Task The_bind_counts_the_pods_already_placed_and_leaves_a_pod_that_fits_nowhere_unschedulable()
    {
        await _sync.StoreNodeAsync(cpu: "2");
        await _sync.Store.CreateAsync(ResourceTypes.Pods, NewPod("running", cpu: "1500m", node: "node-1", phase: "Running"));
        await _sync.Store.CreateAsync(ResourceTypes.Pods, NewPod("finished", cpu: "2", node: "node-1", phase: "Succeeded"));
        var fits = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, NewPod("fits", cpu: "500m"));
        var big = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, NewPod("big", cpu: "1"));

        var bound = await BindAsync(fits);
        var refused = await BindAsync(big);

        Assert.Equal("node-1", Assert.IsType<PodBound>(Assert.Single(bound.Outcomes)).NodeName);
        Assert.Equal(
            "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            Assert.IsType<PodUnschedulable>(Assert.Single(refused.Outcomes)).Message);
        var stored = (V1Pod?)await _sync.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "big"));
        Assert.Null(stored!.Spec.NodeName);
        var scheduled = Assert.Single(stored.Status.Conditions, c => c.Type == "PodScheduled");
        Assert.Equal(("False", "Unschedulable"), (scheduled.Status, scheduled.Reason));
        Assert.StartsWith("0/1 nodes are available: 1 Insufficient cpu.", scheduled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pods_bound_at_once_never_overfill_a_node()
    {
        await _sync.StoreNodeAsync("node-1", cpu: "2");
        await _sync.StoreNodeAsync("node-2", cpu: "2");
        var pods = new List<V1Pod>();
        for (var i = 0; i < 12; i++)
        {
            pods.Add((V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, NewPod($"p{i}", cpu: "1")));
        }

        var results = await Task.WhenAll(pods.Select(p => Task.Run(() => BindAsync(p))));

        var bound = results.SelectMany(r => r.Outcomes).OfType<PodBound>().ToList();
        Assert.Equal(4, bound.Count);
        Assert.Equal(2, bound.Count(b => b.NodeName == "node-1"));
        Assert.Equal(8, results.SelectMany(r => r.Outcomes).OfType<PodUnschedulable>().Count());
    }

    [Fact]
    public async Task A_retried_bind_keeps_the_node_it_chose()
    {
        await _sync.StoreNodeAsync("node-1");
        await _sync.StoreNodeAsync("node-2");
        var pod = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, NewPod("once", cpu: "1"));

        var first = Assert.IsType<PodBound>(Assert.Single((await BindAsync(pod)).Outcomes));
        var again = Assert.IsType<PodBound>(Assert.Single((await BindAsync(pod)).Outcomes));

        Assert.Equal(first.NodeName, again.NodeName);
    }

    [Fact]
    public async Task A_pod_scoped_sandbox_the_runtime_refuses_waits_saying_why_and_is_tried_again()
    {
        _sync.Runtime.Scope = SandboxScope.Pod;
        _sync.Runtime.OnCreateSandbox = _ => throw new ContainerRuntimeException("InvalidContainerGroup: the image name is invalid", transient: false);
        await _sync.StoreNodeAsync();
        var pod = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, NewPod("refused", node: "node-1"));
        var state = PodLifecycle.Apply(PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes), [new PodBound("node-1")]);

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new CreateSandbox()]));

        var wait = Assert.IsType<SandboxPending>(Assert.Single(result.Outcomes)).Wait;
        Assert.Equal((SyncPodActivity.FailedCreateReason, "InvalidContainerGroup: the image name is invalid"), (wait.Reason, wait.Message));
        Assert.True(wait.RetryAt > DateTimeOffset.UtcNow);
        var stored = (V1Pod)(await _sync.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "refused")))!;
        var condition = Assert.Single(stored.Status.Conditions, c => c.Type == "PodReadyToStartContainers");
        Assert.Equal(("False", SyncPodActivity.FailedCreateReason), (condition.Status, condition.Reason));
    }

    [Fact]
    public async Task A_pod_scoped_pod_with_a_volume_its_runtime_cannot_give_waits_with_the_kubelets_FailedMount()
    {
        _sync.Runtime.Scope = SandboxScope.Pod;
        _sync.Runtime.OnCreateSandbox = _ => throw new InvalidOperationException("the sandbox must not be created");
        await _sync.StoreNodeAsync();
        var withSecret = NewPod("mounts", node: "node-1");
        withSecret.Spec.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db" } }];
        var pod = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, withSecret);
        var state = PodLifecycle.Apply(PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes), [new PodBound("node-1")]);

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new CreateSandbox()]));

        var wait = Assert.IsType<SandboxPending>(Assert.Single(result.Outcomes)).Wait;
        Assert.Equal(SyncPodActivity.FailedMountReason, wait.Reason);
        Assert.Equal("MountVolume.SetUp failed for volume \"creds\" : secret \"db\" not found", wait.Message);
        Assert.Equal([new ContainerWait("app", "ContainerCreating", null)], wait.Containers);
    }
}
