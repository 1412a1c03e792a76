using DurableKube.Domain.Deletion;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.ReplicaSets;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.DurableTask.Client;

namespace DurableKube.Workflows.Tests.ReplicaSets;

/// <summary>The ReplicaSet controller with the real workflows: pods made, replaced, scaled, adopted, collected, across crashes and continue-as-new.</summary>
public sealed class ReplicaSetControllerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await WorkflowHarness.StartAsync();
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1ReplicaSet Frontend(string name = "frontend", int replicas = 3) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["tier"] = name } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Containers = [new V1Container { Name = "php-redis", Image = "gb-frontend:v5", Command = ["sh", "-c", "sleep 3600"] }],
                },
            },
        },
    };

    private async Task<V1ReplicaSet> CreateAsync(V1ReplicaSet rs) => (V1ReplicaSet)await _harness.Registry.CreateAsync(ResourceTypes.ReplicaSets, rs);

    private async Task<V1ReplicaSet?> GetAsync(string name = "frontend") =>
        (V1ReplicaSet?)await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", name));

    private async Task ScaleAsync(int replicas, string name = "frontend") =>
        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", name), obj =>
        {
            ((V1ReplicaSet)obj).Spec.Replicas = replicas;
            return obj;
        });

    private async Task<IReadOnlyList<V1Pod>> PodsAsync(string tier = "frontend") =>
        (await _harness.Store.ListAsync(ResourceTypes.Pods, "default", ListQuery.All)).Items.Cast<V1Pod>()
            .Where(p => p.Metadata.Labels is { } labels && labels.TryGetValue("tier", out var value) && value == tier).ToList();

    private async Task<IReadOnlyList<V1Pod>> ActivePodsAsync(string tier = "frontend") =>
        (await PodsAsync(tier)).Where(p => p.Metadata.DeletionTimestamp is null).ToList();

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        var last = await read();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}; last: {DurableKube.Domain.Serialization.KubeJson.Serialize(last)}");
            }

            await Task.Delay(50);
            last = await read();
        }

        return last;
    }

    private Task<V1ReplicaSet?> WaitForStatusAsync(Func<V1ReplicaSetStatus, bool> done, string name = "frontend") =>
        EventuallyAsync(() => GetAsync(name), rs => rs?.Status is { } s && done(s), $"the status of {name}");

    private Task<IReadOnlyList<V1Pod>> WaitForActiveAsync(int count, string tier = "frontend") =>
        EventuallyAsync(() => ActivePodsAsync(tier), pods => pods.Count == count, $"{count} active pods of {tier}");

    [Fact]
    public async Task A_ReplicaSet_creates_its_pods_and_reports_them_ready()
    {
        var rs = await CreateAsync(Frontend());

        var status = (await WaitForStatusAsync(s => s.ReadyReplicas == 3 && s.AvailableReplicas == 3))!.Status;

        Assert.Equal((3, 3, 1L), (status.Replicas, status.FullyLabeledReplicas!.Value, status.ObservedGeneration!.Value));
        var pods = await PodsAsync();
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Matches("^frontend-[a-z0-9]{5}$", p.Metadata.Name);
            var owner = OwnerReferences.ControllerOf(p.Metadata)!;
            Assert.Equal(("apps/v1", "ReplicaSet", "frontend", rs.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.BlockOwnerDeletion!.Value));
        });
    }

    [Fact]
    public async Task With_minReadySeconds_pods_count_as_available_once_ready_long_enough_with_no_other_wake()
    {
        var rs = Frontend(replicas: 2);
        rs.Spec.MinReadySeconds = 2;
        await CreateAsync(rs);

        await WaitForStatusAsync(s => s.ReadyReplicas == 2);

        // Once the pods are ready nothing changes any more (the next resync is 10 minutes away): only the sync the
        // controller asked for at the time a pod becomes available counts them.
        var status = (await WaitForStatusAsync(s => s.AvailableReplicas == 2))!.Status;
        Assert.Equal((2, 2), (status.Replicas, status.ReadyReplicas!.Value));
    }

    [Fact]
    public async Task A_deleted_pod_is_replaced()
    {
        await CreateAsync(Frontend());
        var pods = await WaitForActiveAsync(3);
        var victim = pods[0].Metadata.Name;

        await _harness.DeletePodAsync(victim);

        var after = await EventuallyAsync(() => ActivePodsAsync(), p => p.Count == 3 && p.All(x => x.Metadata.Name != victim), "a replacement");
        Assert.Equal(2, after.Count(p => pods.Any(o => o.Metadata.Uid == p.Metadata.Uid)));
    }

    [Fact]
    public async Task Scaling_up_then_down_creates_then_deletes_pods_and_the_status_follows()
    {
        await CreateAsync(Frontend(replicas: 1));
        await WaitForStatusAsync(s => s.ReadyReplicas == 1);

        await ScaleAsync(5);
        await WaitForStatusAsync(s => s.Replicas == 5 && s.ReadyReplicas == 5 && s.ObservedGeneration == 2);
        await ScaleAsync(1);
        var status = (await WaitForStatusAsync(s => s.Replicas == 1 && s.ObservedGeneration == 3))!.Status;

        Assert.Equal(1, status.ReadyReplicas);
        await EventuallyAsync(() => PodsAsync(), p => p.Count == 1, "the pods scaled down to be gone");
    }

    [Fact]
    public async Task An_orphan_with_matching_labels_is_adopted_and_counts_as_a_replica()
    {
        var orphan = await _harness.CreatePodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "stray", Labels = new Dictionary<string, string> { ["tier"] = "frontend" } },
            Spec = new V1PodSpec { TerminationGracePeriodSeconds = 1, Containers = [new V1Container { Name = "c", Image = "busybox", Command = ["sleep", "3600"] }] },
        });

        var rs = await CreateAsync(Frontend(replicas: 2));

        var adopted = await _harness.WaitForPodAsync("stray", p => OwnerReferences.ControllerOf(p.Metadata) is not null);
        Assert.Equal(rs.Metadata.Uid, OwnerReferences.ControllerOf(adopted.Metadata)!.Uid);
        Assert.Equal(orphan.Metadata.Uid, adopted.Metadata.Uid);
        await WaitForStatusAsync(s => s.Replicas == 2);
        Assert.Equal(2, (await PodsAsync()).Count);
    }

    [Fact]
    public async Task A_pod_relabeled_out_of_the_selector_is_released_and_replaced()
    {
        await CreateAsync(Frontend(replicas: 1));
        var pod = (await WaitForActiveAsync(1)).Single();

        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Pods, "default", pod.Metadata.Name), obj =>
        {
            obj.Metadata.Labels["tier"] = "debug";
            return obj;
        });

        var released = await _harness.WaitForPodAsync(pod.Metadata.Name, p => p.Metadata.OwnerReferences is null or { Count: 0 });
        Assert.Null(released.Metadata.DeletionTimestamp);
        var replacement = (await WaitForActiveAsync(1)).Single();
        Assert.NotEqual(pod.Metadata.Uid, replacement.Metadata.Uid);
    }

    [Fact]
    public async Task A_sync_that_fails_after_creating_pods_is_retried_without_making_extra_pods()
    {
        // The status write after the creations fails for a while: the activity fails after its pods are made,
        // and every retry starts again from what the store holds.
        var failures = 4;
        _harness.Faults.Fault = (operation, type, _) =>
            operation == "Update" && type == ResourceTypes.ReplicaSets && Interlocked.Decrement(ref failures) >= 0 ? new IOException("storage is down") : null;

        await CreateAsync(Frontend(replicas: 4));

        await WaitForStatusAsync(s => s.Replicas == 4 && s.ReadyReplicas == 4);
        Assert.True(_harness.Faults.Faulted >= 4, $"only {_harness.Faults.Faulted} faults were hit");
        Assert.Equal(4, (await PodsAsync()).Count);
        Assert.Equal(4, _harness.Runtime.Launches.Select(l => l.Id.PodUid).Distinct().Count());
    }

    [Fact]
    public async Task Refused_pod_creations_show_ReplicaFailure_FailedCreate_until_they_succeed()
    {
        var refusing = true;
        _harness.Faults.Fault = (operation, type, _) =>
            operation == "Create" && type == ResourceTypes.Pods && Volatile.Read(ref refusing) ? new StoreException(StoreErrorKind.TooLarge, null, "the pod is too large for the store") : null;
        await CreateAsync(Frontend(replicas: 2));

        var failing = (await WaitForStatusAsync(s => s.Conditions?.Any(c => c.Type == ReplicaSetSync.ReplicaFailure) == true))!.Status;
        var condition = failing.Conditions.Single();
        Assert.Equal(("True", "FailedCreate"), (condition.Status, condition.Reason));
        Assert.Contains("too large", condition.Message, StringComparison.Ordinal);

        Volatile.Write(ref refusing, false);
        await ScaleAsync(3);

        var healed = (await WaitForStatusAsync(s => s.Replicas == 3 && s.Conditions is null))!.Status;
        Assert.Null(healed.Conditions);
    }

    [Fact]
    public async Task A_creation_refused_because_the_namespace_is_being_deleted_is_no_failure()
    {
        // As the API server refuses a pod in a namespace being deleted (the test's store refuses in its place).
        _harness.Faults.Fault = (operation, type, _) => operation == "Create" && type == ResourceTypes.Pods
            ? new ObjectRejectedException(
                RejectionReason.Forbidden,
                ResourceTypes.Pods,
                "frontend-",
                "unable to create new content in namespace default because it is being terminated",
                cause: new RejectionCause(RejectionCause.NamespaceTerminating, "namespace default is being terminated", "metadata.namespace"))
            : null;

        await CreateAsync(Frontend(replicas: 2));

        var status = (await WaitForStatusAsync(s => s.ObservedGeneration == 1))!.Status;
        Assert.Null(status.Conditions);
        Assert.Equal(0, status.Replicas);
        Assert.True(_harness.Faults.Faulted >= 1, "no creation was tried");
    }

    [Fact]
    public async Task Creations_go_in_slow_start_batches_and_stop_after_the_first_batch_with_a_failure()
    {
        // The store takes two pods, then refuses every other: the first sync creates 1 (batch of 1), then tries
        // 2 (batch of 2) of which one is refused, and skips the other 7 rather than trying them all.
        var allowed = 2;
        _harness.Faults.Fault = (operation, type, _) =>
            operation == "Create" && type == ResourceTypes.Pods && Interlocked.Decrement(ref allowed) < 0 ? new StoreException(StoreErrorKind.TooLarge, null, "the store is full") : null;

        await CreateAsync(Frontend(replicas: 10));

        await WaitForStatusAsync(s => s.Conditions?.Any(c => c.Reason == "FailedCreate") == true);
        Assert.Equal(2, (await PodsAsync()).Count);
        Assert.True(_harness.Faults.Faulted < 8, $"{_harness.Faults.Faulted} creations were tried and refused: the sync did not stop at its first failing batch");
    }

    [Fact]
    public async Task A_burst_of_wakes_costs_a_few_syncs_and_the_change_after_it_is_not_lost()
    {
        var rs = await CreateAsync(Frontend(replicas: 1));
        await WaitForStatusAsync(s => s.ReadyReplicas == 1);
        var instance = ReplicaSetController.Definition.InstanceIdFor(rs.Metadata.Uid);
        var before = (await _harness.Client.GetOrchestrationHistoryAsync(instance)).Count(e => e is DurableTask.Core.History.TaskScheduledEvent);

        // More wakes than turns in one execution (100), all queued at once, then the change that matters: the loop
        // folds the buffered wakes into the syncs it makes anyway (continue-as-new with wakes pending is the loop's own
        // test, ReconcileLoopTests).
        await Task.WhenAll(Enumerable.Range(0, 130).Select(i => _harness.Client.RaiseEventAsync(instance, Wake.EventName, new Wake($"burst {i}"))));
        await ScaleAsync(2);

        await WaitForStatusAsync(s => s.Replicas == 2 && s.ReadyReplicas == 2);
        var metadata = await _harness.Client.GetInstanceAsync(instance, getInputsAndOutputs: false);
        Assert.Equal(OrchestrationRuntimeStatus.Running, metadata!.RuntimeStatus);
        var history = await _harness.Client.GetOrchestrationHistoryAsync(instance);
        var syncs = history.Count(e => e is DurableTask.Core.History.TaskScheduledEvent) - before;
        Assert.True(syncs < 30, $"{syncs} syncs for 130 wakes and one scale: the wakes were not folded together");
    }

    [Fact]
    public async Task Deleting_the_ReplicaSet_ends_its_workflow_and_the_garbage_collector_deletes_its_pods()
    {
        var rs = await CreateAsync(Frontend(replicas: 2));
        await WaitForActiveAsync(2);

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "frontend"), new DeleteOptions(PropagationPolicy: PropagationPolicy.Background));

        using var timeout = new CancellationTokenSource(Patience);
        var done = await _harness.Client.WaitForInstanceCompletionAsync(ReplicaSetController.Definition.InstanceIdFor(rs.Metadata.Uid), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("frontend", done.ReadOutputAs<string>());
        await EventuallyAsync(() => PodsAsync(), p => p.Count == 0, "the pods collected");
    }

    [Fact]
    public async Task Deleting_with_Orphan_leaves_the_pods_running_without_an_owner()
    {
        await CreateAsync(Frontend(replicas: 2));
        var pods = await WaitForActiveAsync(2);

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "frontend"), new DeleteOptions(PropagationPolicy: PropagationPolicy.Orphan));

        await EventuallyAsync(() => GetAsync(), rs => rs is null, "the ReplicaSet gone");
        var left = await EventuallyAsync(() => ActivePodsAsync(), p => p.All(x => x.Metadata.OwnerReferences is null or { Count: 0 }), "the pods orphaned");
        Assert.Equal(pods.Select(p => p.Metadata.Uid).Order(), left.Select(p => p.Metadata.Uid).Order());
    }

    [Fact]
    public async Task Deleting_in_the_foreground_keeps_the_ReplicaSet_until_its_pods_are_gone()
    {
        await CreateAsync(Frontend(replicas: 2));
        await WaitForActiveAsync(2);

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "frontend"), new DeleteOptions(PropagationPolicy: PropagationPolicy.Foreground));

        var deleting = await GetAsync();
        Assert.NotNull(deleting!.Metadata.DeletionTimestamp);
        Assert.Contains(DeletionPropagation.ForegroundFinalizer, deleting.Metadata.Finalizers);
        await EventuallyAsync(() => GetAsync(), rs => rs is null, "the ReplicaSet gone");
        Assert.Empty(await PodsAsync());
    }

    [Fact]
    public async Task Two_ReplicaSets_with_different_selectors_keep_to_their_own_pods()
    {
        await CreateAsync(Frontend("frontend", replicas: 2));
        await CreateAsync(Frontend("backend", replicas: 1));

        await WaitForStatusAsync(s => s.Replicas == 2, "frontend");
        await WaitForStatusAsync(s => s.Replicas == 1, "backend");

        Assert.Equal(2, (await ActivePodsAsync("frontend")).Count);
        Assert.Single(await ActivePodsAsync("backend"));
    }
}
