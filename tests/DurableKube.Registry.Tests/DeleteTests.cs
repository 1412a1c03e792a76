using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry.Tests;

public sealed class DeleteTests : IAsyncLifetime
{
    private static readonly ObjectKey Web = RegistryHarness.PodKey("web");
    private readonly RecordingHook _hook = new();
    private readonly RacingStore _racing;
    private readonly RegistryHarness _harness;

    public DeleteTests()
    {
        RacingStore? racing = null;
        _harness = new RegistryHarness(inner => racing = new RacingStore(inner), _hook);
        _racing = racing!;
    }

    private ObjectRegistry Registry => _harness.Registry;

    public async Task InitializeAsync() => await _harness.NamespaceAsync("default");

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Creates an object no kubelet runs, which a delete without finalizers removes at once: an unbound pod, or a node.</summary>
    private async Task<ObjectKey> TargetAsync(string target, params string[] finalizers)
    {
        if (target == "pod")
        {
            await _harness.PodAsync("web", null, finalizers);
            return Web;
        }

        await _harness.NodeAsync("node-1", finalizers);
        return RegistryHarness.NodeKey("node-1");
    }

    private async Task<string> ResourceVersionAsync(ObjectKey key) => (await _harness.GetAsync(key))!.Metadata.ResourceVersion;

    [Theory]
    [InlineData(null, 30L)]
    [InlineData(5L, 5L)]
    public async Task A_running_pod_is_marked_with_its_grace_period_not_removed(long? requested, long grace)
    {
        await _harness.PodAsync("web", "node-1");

        var outcome = await Registry.DeleteAsync(Web, new DeleteOptions(requested));

        Assert.Equal(DeletionAction.Update, outcome.Action);
        Assert.False(outcome.Removed);
        var pod = await _harness.GetPodAsync("web");
        Assert.Equal(RegistryHarness.NowSeconds.AddSeconds(grace), pod!.Metadata.DeletionTimestamp);
        Assert.Equal(grace, pod.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(pod.Metadata.ResourceVersion, outcome.Object.Metadata.ResourceVersion);
        var write = _hook.After.Last();
        Assert.Equal(WriteOperation.Update, write.Operation);
        Assert.Null(write.Old!.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData(null, null)]            // never bound to a node: nothing runs it
    [InlineData("node-1", "Succeeded")] // finished: nothing runs any more
    [InlineData("node-1", "Failed")]
    public async Task A_pod_nothing_runs_is_removed_at_once(string? node, string? phase)
    {
        await _harness.PodAsync("web", node);
        if (phase is not null)
        {
            await _harness.PhaseAsync("web", phase);
        }

        var outcome = await Registry.DeleteAsync(Web);

        Assert.True(outcome.Removed);
        Assert.Null(await _harness.GetPodAsync("web"));
        var write = _hook.After.Last();
        Assert.Equal((WriteOperation.Delete, "web"), (write.Operation, write.Object.Metadata.Name));
    }

    [Fact]
    public async Task The_kubelets_final_delete_removes_a_terminating_pod_unless_finalizers_hold_it()
    {
        await _harness.PodAsync("free", "node-1");
        await _harness.PodAsync("held", "node-1", "example.com/keep");
        await Registry.DeleteAsync(RegistryHarness.PodKey("free"));
        await Registry.DeleteAsync(RegistryHarness.PodKey("held"));
        _harness.Time.Advance(TimeSpan.FromSeconds(5));

        var free = await Registry.DeleteAsync(RegistryHarness.PodKey("free"), new DeleteOptions(0));
        var held = await Registry.DeleteAsync(RegistryHarness.PodKey("held"), new DeleteOptions(0));

        Assert.True(free.Removed);
        Assert.Null(await _harness.GetPodAsync("free"));
        Assert.False(held.Removed);
        Assert.Equal(0, held.Object.Metadata.DeletionGracePeriodSeconds);
        var stored = await _harness.GetPodAsync("held");
        Assert.Equal(0, stored!.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(RegistryHarness.NowSeconds, stored.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_second_delete_may_shorten_the_grace_but_not_lengthen_it()
    {
        await _harness.PodAsync("web", "node-1");
        var first = await Registry.DeleteAsync(Web);

        var longer = await Registry.DeleteAsync(Web, new DeleteOptions(60));
        Assert.Equal(DeletionAction.Unchanged, longer.Action);
        Assert.Equal(first.Object.Metadata.ResourceVersion, await ResourceVersionAsync(Web));

        var shorter = await Registry.DeleteAsync(Web, new DeleteOptions(10));
        Assert.Equal(DeletionAction.Update, shorter.Action);
        var pod = await _harness.GetPodAsync("web");
        Assert.Equal((10L, RegistryHarness.NowSeconds.AddSeconds(10)), (pod!.Metadata.DeletionGracePeriodSeconds!.Value, pod.Metadata.DeletionTimestamp!.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Preconditions_that_do_not_hold_refuse_the_delete_and_nothing_changes(bool byResourceVersion)
    {
        var created = await _harness.PodAsync("web", "node-1");
        var preconditions = byResourceVersion ? new Preconditions(ResourceVersion: "1") : new Preconditions(Uid: "uid-of-an-earlier-web");

        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.DeleteAsync(Web, new DeleteOptions(Preconditions: preconditions)));

        Assert.Equal(StoreErrorKind.Conflict, error.Kind);
        Assert.StartsWith(byResourceVersion ? "Precondition failed: ResourceVersion in precondition: 1," : "Precondition failed: UID in precondition: uid-of-an-earlier-web,", error.Detail, StringComparison.Ordinal);
        Assert.Equal(created.Metadata.ResourceVersion, await ResourceVersionAsync(Web));
        Assert.DoesNotContain(_hook.Before, w => w.Kind.Type == ResourceTypes.Pods && w.Operation != WriteOperation.Create);
    }

    [Fact]
    public async Task A_uid_precondition_that_holds_lets_the_delete_through()
    {
        var created = await _harness.PodAsync("web");

        var outcome = await Registry.DeleteAsync(Web, DeleteOptions.ForUid(created.Metadata.Uid));

        Assert.True(outcome.Removed);
    }

    [Fact]
    public async Task Deleting_what_is_not_there_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.DeleteAsync(RegistryHarness.PodKey("missing")));

        Assert.Equal(StoreErrorKind.NotFound, error.Kind);
        Assert.Equal("pods \"missing\" not found", error.Message);
    }

    [Fact]
    public async Task A_delete_that_loses_a_race_decides_again_on_a_fresh_read()
    {
        await _harness.PodAsync("web");
        _racing.BeforeNextWrite = async store =>
        {
            var pod = (await store.GetAsync(Web))!;
            pod.Metadata.Finalizers = ["example.com/late"];
            await store.UpdateAsync(ResourceTypes.Pods, pod);
        };

        var outcome = await Registry.DeleteAsync(Web);

        Assert.Equal(DeletionAction.Update, outcome.Action);
        var stored = await _harness.GetPodAsync("web");
        Assert.Equal(["example.com/late"], stored!.Metadata.Finalizers);
        Assert.Equal(RegistryHarness.NowSeconds, stored.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData("pod")]
    [InlineData("node")]
    public async Task Orphan_adds_the_orphan_finalizer_and_the_object_stays_marked_with_no_grace(string target)
    {
        var key = await TargetAsync(target);

        var outcome = await Registry.DeleteAsync(key, new DeleteOptions(PropagationPolicy: PropagationPolicy.Orphan));

        Assert.Equal(DeletionAction.Update, outcome.Action);
        var stored = (await _harness.GetAsync(key))!;
        Assert.Equal([DeletionPropagation.OrphanFinalizer], stored.Metadata.Finalizers);
        Assert.Equal(RegistryHarness.NowSeconds, stored.Metadata.DeletionTimestamp);
        Assert.Equal(0, stored.Metadata.DeletionGracePeriodSeconds);
    }

    [Theory]
    [InlineData("pod")]
    [InlineData("node")]
    public async Task Foreground_adds_the_foregroundDeletion_finalizer_after_the_objects_own(string target)
    {
        var key = await TargetAsync(target, "example.com/keep");

        var outcome = await Registry.DeleteAsync(key, new DeleteOptions(PropagationPolicy: PropagationPolicy.Foreground));

        Assert.Equal(DeletionAction.Update, outcome.Action);
        var stored = (await _harness.GetAsync(key))!;
        Assert.Equal(["example.com/keep", DeletionPropagation.ForegroundFinalizer], stored.Metadata.Finalizers);
        Assert.NotNull(stored.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData("pod", "Background")]
    [InlineData("node", "Background")]
    [InlineData("pod", null)]
    [InlineData("node", null)]
    public async Task Background_or_no_policy_adds_no_finalizer_and_removes_an_object_without_any_at_once(string target, string? policy)
    {
        var key = await TargetAsync(target);

        var outcome = await Registry.DeleteAsync(key, new DeleteOptions(PropagationPolicy: DeletionPropagation.Parse(policy)));

        Assert.True(outcome.Removed);
        Assert.Null(outcome.Object.Metadata.Finalizers);
        Assert.Null(await _harness.GetAsync(key));
    }

    [Theory]
    [InlineData(true, new[] { "example.com/keep", "orphan" }, false)]
    [InlineData(false, new string[0], true)]
    public async Task OrphanDependents_true_acts_as_Orphan_and_false_as_Background(bool orphanDependents, string[] finalizers, bool removed)
    {
        // The object carries a foregroundDeletion finalizer from before; the request's word wins over it.
        var key = await TargetAsync("pod", orphanDependents ? ["example.com/keep", "foregroundDeletion"] : ["foregroundDeletion"]);

        var outcome = await Registry.DeleteAsync(key, new DeleteOptions(OrphanDependents: orphanDependents));

        Assert.Equal(removed, outcome.Removed);
        Assert.Equal(finalizers, outcome.Object.Metadata.Finalizers ?? []);
        Assert.Equal(removed, await _harness.GetAsync(key) is null);
    }

    [Fact]
    public async Task OrphanDependents_wins_over_a_propagation_policy()
    {
        var key = await TargetAsync("pod");

        var outcome = await Registry.DeleteAsync(key, new DeleteOptions(PropagationPolicy: PropagationPolicy.Foreground, OrphanDependents: true));

        Assert.Equal([DeletionPropagation.OrphanFinalizer], (await _harness.GetAsync(key))!.Metadata.Finalizers);
        Assert.False(outcome.Removed);
    }

    [Theory]
    [InlineData("Orphan")]
    [InlineData("Foreground")]
    public async Task A_policy_does_not_change_the_finalizers_of_an_object_already_being_deleted_gracefully(string policy)
    {
        await _harness.PodAsync("web", "node-1");
        var marked = await Registry.DeleteAsync(Web);

        var outcome = await Registry.DeleteAsync(Web, new DeleteOptions(PropagationPolicy: DeletionPropagation.Parse(policy)));

        Assert.Equal(DeletionAction.Unchanged, outcome.Action);
        var stored = await _harness.GetPodAsync("web");
        Assert.Null(stored!.Metadata.Finalizers);
        Assert.Equal(marked.Object.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
    }

    [Theory]
    [InlineData(10L, true, 10L)] // a shorter grace: the apiserver's BeforeDelete lets the request through, policy and all
    [InlineData(0L, true, 0L)]
    [InlineData(-5L, true, 1L)]  // a negative grace counts as 1 s
    [InlineData(30L, false, 30L)]
    [InlineData(60L, false, 30L)]
    public async Task A_policy_that_comes_with_a_shorter_grace_changes_the_finalizers_of_an_object_being_deleted_gracefully(long grace, bool changed, long left)
    {
        await _harness.PodAsync("web", "node-1", "example.com/keep");
        await Registry.DeleteAsync(Web);

        await Registry.DeleteAsync(Web, new DeleteOptions(grace, PropagationPolicy.Orphan));

        var stored = await _harness.GetPodAsync("web");
        Assert.Equal(changed ? ["example.com/keep", DeletionPropagation.OrphanFinalizer] : ["example.com/keep"], stored!.Metadata.Finalizers);
        Assert.Equal(left, stored.Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public async Task A_policy_changes_the_finalizers_of_an_object_finalizers_hold_with_no_grace()
    {
        var key = await TargetAsync("pod", "example.com/keep");
        await Registry.DeleteAsync(key);

        var foreground = await Registry.DeleteAsync(key, new DeleteOptions(PropagationPolicy: PropagationPolicy.Foreground));
        Assert.Equal(DeletionAction.Update, foreground.Action);
        Assert.Equal(["example.com/keep", DeletionPropagation.ForegroundFinalizer], (await _harness.GetAsync(key))!.Metadata.Finalizers);

        var background = await Registry.DeleteAsync(key, new DeleteOptions(PropagationPolicy: PropagationPolicy.Background));
        Assert.Equal(DeletionAction.Update, background.Action);
        Assert.Equal(["example.com/keep"], (await _harness.GetAsync(key))!.Metadata.Finalizers);

        var again = await Registry.DeleteAsync(key);
        Assert.Equal(DeletionAction.Unchanged, again.Action);
    }

    [Theory]
    [InlineData("Orphan")]
    [InlineData("Foreground")]
    public async Task A_namespace_gets_no_propagation_finalizers_and_turns_Terminating(string policy)
    {
        await _harness.NamespaceAsync("team");
        var key = RegistryHarness.NamespaceKey("team");

        var outcome = await Registry.DeleteAsync(key, new DeleteOptions(PropagationPolicy: DeletionPropagation.Parse(policy)));

        Assert.Equal(DeletionAction.Update, outcome.Action);
        var ns = (V1Namespace)(await _harness.GetAsync(key))!;
        Assert.Null(ns.Metadata.Finalizers);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        Assert.Equal("Terminating", ns.Status.Phase);
        Assert.Equal(RegistryHarness.NowSeconds, ns.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    public async Task A_system_namespace_may_not_be_deleted(string name)
    {
        if (name != "default")
        {
            await _harness.NamespaceAsync(name);
        }

        var key = RegistryHarness.NamespaceKey(name);
        var before = await ResourceVersionAsync(key);

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.DeleteAsync(key));

        Assert.Equal(RejectionReason.Forbidden, error.Reason);
        Assert.Equal("this namespace may not be deleted", error.Detail);
        Assert.Equal(name, error.Name);
        Assert.Equal(before, await ResourceVersionAsync(key));
    }

    [Theory]
    [InlineData("node-1", null, DeletionAction.Update)]
    [InlineData(null, null, DeletionAction.UpdateThenRemove)]
    [InlineData(null, "Orphan", DeletionAction.Update)]
    public async Task A_dry_run_delete_says_what_it_would_do_and_changes_nothing(string? node, string? policy, DeletionAction action)
    {
        var created = await _harness.PodAsync("web", node);
        var hooked = _hook.Before.Count + _hook.After.Count;

        var outcome = await Registry.DeleteAsync(Web, new DeleteOptions(PropagationPolicy: DeletionPropagation.Parse(policy), DryRun: true));

        Assert.Equal(action, outcome.Action);
        Assert.NotNull(outcome.Object.Metadata.DeletionTimestamp);
        var stored = await _harness.GetPodAsync("web");
        Assert.Equal(created.Metadata.ResourceVersion, stored!.Metadata.ResourceVersion);
        Assert.Null(stored.Metadata.DeletionTimestamp);
        Assert.Null(stored.Metadata.Finalizers);
        Assert.Equal(hooked, _hook.Before.Count + _hook.After.Count);
    }

    [Fact]
    public async Task A_before_hook_may_refuse_a_delete_and_then_nothing_changes()
    {
        var created = await _harness.PodAsync("web");
        _hook.OnBefore = write => throw new ObjectRejectedException(RejectionReason.Forbidden, write.Kind.Type, write.Object.Metadata.Name, "denied");

        await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.DeleteAsync(Web));

        Assert.Equal(created.Metadata.ResourceVersion, await ResourceVersionAsync(Web));
    }
}
