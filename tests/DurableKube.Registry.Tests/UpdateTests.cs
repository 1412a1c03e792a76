using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry.Tests;

public sealed class UpdateTests : IAsyncLifetime
{
    private static readonly ObjectKey Web = RegistryHarness.PodKey("web");
    private readonly RecordingHook _hook = new();
    private readonly RegistryHarness _harness;

    public UpdateTests() => _harness = new RegistryHarness(_hook);

    private ObjectRegistry Registry => _harness.Registry;

    public async Task InitializeAsync() => await _harness.NamespaceAsync("default");

    public Task DisposeAsync() => Task.CompletedTask;

    private static Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>?> Pod(Action<V1Pod> change) => obj =>
    {
        change((V1Pod)obj);
        return obj;
    };

    [Fact]
    public async Task Build_runs_again_on_a_fresh_read_when_another_writer_got_in_first()
    {
        await _harness.PodAsync("web");
        var builds = 0;

        var outcome = await Registry.UpdateAsync(Web, obj =>
        {
            if (++builds == 1)
            {
                // Another writer gets in between this read and the write.
                var other = _harness.Store.GetAsync(Web).GetAwaiter().GetResult()!;
                other.SetLabel("by", "other");
                _harness.Store.UpdateAsync(ResourceTypes.Pods, other).GetAwaiter().GetResult();
            }

            obj.SetAnnotation("by", "me");
            return obj;
        });

        Assert.Equal(2, builds);
        Assert.True(outcome.Changed);
        var stored = await _harness.GetPodAsync("web");
        Assert.Equal("other", stored!.Metadata.Labels["by"]);
        Assert.Equal("me", stored.Metadata.Annotations["by"]);
        Assert.Equal(stored.Metadata.ResourceVersion, outcome.Object.Metadata.ResourceVersion);
        var write = _hook.After.Single(w => w.Operation == WriteOperation.Update);
        Assert.Equal("other", write.Old!.Metadata.Labels["by"]);
    }

    [Fact]
    public async Task A_writer_that_loses_every_race_gives_up_with_Conflict()
    {
        await _harness.PodAsync("web");
        var builds = 0;

        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.UpdateAsync(Web, obj =>
        {
            builds++;
            var other = _harness.Store.GetAsync(Web).GetAwaiter().GetResult()!;
            other.SetLabel("by", "other-" + builds);
            _harness.Store.UpdateAsync(ResourceTypes.Pods, other).GetAwaiter().GetResult();
            obj.SetAnnotation("by", "me");
            return obj;
        }));

        Assert.Equal(StoreErrorKind.Conflict, error.Kind);
        Assert.Equal(ObjectRegistry.MaxConflictRetries, builds);
        Assert.Null((await _harness.GetPodAsync("web"))!.Metadata.Annotations);
    }

    [Fact]
    public async Task Build_returning_null_writes_nothing()
    {
        var created = await _harness.PodAsync("web");

        var outcome = await Registry.UpdateAsync(Web, _ => null);

        Assert.False(outcome.Changed);
        Assert.False(outcome.Removed);
        Assert.Equal(created.Metadata.ResourceVersion, outcome.Object.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
        Assert.DoesNotContain(_hook.Before, w => w.Operation == WriteOperation.Update);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_writes_nothing()
    {
        var created = await _harness.PodAsync("web");

        var outcome = await Registry.UpdateAsync(Web, obj => obj);

        Assert.False(outcome.Changed);
        Assert.Equal(created.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
        Assert.DoesNotContain(_hook.Before, w => w.Operation == WriteOperation.Update);
        Assert.DoesNotContain(_hook.After, w => w.Operation == WriteOperation.Update);
    }

    [Fact]
    public async Task Updating_what_is_not_there_is_NotFound_and_build_never_runs()
    {
        var built = false;

        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.UpdateAsync(RegistryHarness.PodKey("missing"), obj =>
        {
            built = true;
            return obj;
        }));

        Assert.Equal(StoreErrorKind.NotFound, error.Kind);
        Assert.Equal("pods \"missing\" not found", error.Message);
        Assert.False(built);
    }

    [Fact]
    public async Task A_stale_resourceVersion_in_the_object_sent_is_Conflict_and_not_retried()
    {
        var created = await _harness.PodAsync("web");
        await _harness.PhaseAsync("web", "Running");
        var builds = 0;

        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.UpdateAsync(Web, Pod(pod =>
        {
            builds++;
            pod.Metadata.ResourceVersion = created.Metadata.ResourceVersion;
            pod.SetLabel("tier", "web");
        })));

        Assert.Equal(StoreErrorKind.Conflict, error.Kind);
        Assert.Equal("Operation cannot be fulfilled on pods \"web\": the object has been modified; please apply your changes to the latest version and try again", error.Message);
        Assert.Equal(1, builds);
        Assert.Null((await _harness.GetPodAsync("web"))!.Metadata.Labels);
    }

    [Fact]
    public async Task The_current_resourceVersion_in_the_object_sent_is_accepted()
    {
        await _harness.PodAsync("web");
        var current = await _harness.PhaseAsync("web", "Running");

        var outcome = await Registry.UpdateAsync(Web, Pod(pod =>
        {
            pod.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
            pod.SetLabel("tier", "web");
        }));

        Assert.True(outcome.Changed);
        Assert.Equal("web", (await _harness.GetPodAsync("web"))!.Metadata.Labels["tier"]);
    }

    [Fact]
    public async Task A_uid_precondition_that_fails_is_Conflict_saying_so_and_build_never_runs()
    {
        var created = await _harness.PodAsync("web");
        var built = false;

        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.UpdateAsync(
            Web,
            obj =>
            {
                built = true;
                return obj;
            },
            UpdateOptions.Status("uid-of-an-earlier-web")));

        Assert.Equal(StoreErrorKind.Conflict, error.Kind);
        Assert.Equal($"Precondition failed: UID in precondition: uid-of-an-earlier-web, UID in object meta: {created.Metadata.Uid}", error.Detail);
        Assert.False(built);
        Assert.Equal(created.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_uid_precondition_that_holds_lets_the_update_through()
    {
        var created = await _harness.PodAsync("web");

        var outcome = await Registry.UpdateAsync(Web, Pod(pod => pod.Status.Phase = "Running"), UpdateOptions.Status(created.Metadata.Uid));

        Assert.True(outcome.Changed);
        Assert.Equal("Running", (await _harness.GetPodAsync("web"))!.Status.Phase);
    }

    [Fact]
    public async Task A_resourceVersion_precondition_that_fails_is_Conflict()
    {
        var created = await _harness.PodAsync("web");
        var current = await _harness.PhaseAsync("web", "Running");

        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.UpdateAsync(
            Web, Pod(pod => pod.SetLabel("a", "b")), new UpdateOptions(Preconditions: new Preconditions(ResourceVersion: created.Metadata.ResourceVersion))));

        Assert.Equal(
            $"Precondition failed: ResourceVersion in precondition: {created.Metadata.ResourceVersion}, ResourceVersion in object meta: {current.Metadata.ResourceVersion}",
            error.Detail);
    }

    [Theory]
    [InlineData(false, 1L)]
    [InlineData(true, 2L)]
    public async Task A_main_update_keeps_the_stored_status_and_counts_only_spec_changes(bool changeImage, long generation)
    {
        await _harness.PodAsync("web");
        await _harness.PhaseAsync("web", "Running");

        var outcome = await Registry.UpdateAsync(Web, Pod(pod =>
        {
            pod.Status.Phase = "Failed";
            pod.SetLabel("tier", "web");
            if (changeImage)
            {
                pod.Spec.Containers[0].Image = "nginx:1.28";
            }
        }));

        Assert.True(outcome.Changed);
        var stored = await _harness.GetPodAsync("web");
        Assert.Equal("Running", stored!.Status.Phase);
        Assert.Equal("web", stored.Metadata.Labels["tier"]);
        Assert.Equal(changeImage ? "nginx:1.28" : "nginx:1.27", stored.Spec.Containers[0].Image);
        Assert.Equal(generation, stored.Metadata.Generation);
    }

    [Fact]
    public async Task A_main_update_takes_identity_and_deletion_fields_from_the_stored_object()
    {
        var created = await _harness.PodAsync("web", null, "example.com/keep");
        await Registry.DeleteAsync(Web);

        await Registry.UpdateAsync(Web, Pod(pod =>
        {
            pod.Metadata.Uid = null;
            pod.Metadata.CreationTimestamp = RegistryHarness.NowSeconds.AddDays(-1);
            pod.Metadata.DeletionTimestamp = null;
            pod.Metadata.DeletionGracePeriodSeconds = null;
            pod.SetLabel("tier", "web");
        }));

        var stored = await _harness.GetPodAsync("web");
        Assert.Equal("web", stored!.Metadata.Labels["tier"]);
        Assert.Equal(created.Metadata.Uid, stored.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, stored.Metadata.CreationTimestamp);
        Assert.Equal(RegistryHarness.NowSeconds, stored.Metadata.DeletionTimestamp);
        Assert.Equal(0, stored.Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public async Task A_main_update_that_breaks_the_kinds_rules_is_Invalid_and_writes_nothing()
    {
        var created = await _harness.PodAsync("web");

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.UpdateAsync(Web, Pod(pod =>
        {
            pod.Metadata.Uid = "another-uid";
            pod.Spec.RestartPolicy = "Never";
        })));

        Assert.Equal(RejectionReason.Invalid, error.Reason);
        Assert.Contains(error.Errors, e => e.Field == "metadata.uid");
        Assert.Contains(error.Errors, e => e.Field == "spec" && e.Type == Domain.Validation.FieldErrorType.Forbidden);
        Assert.Equal(created.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_status_update_changes_only_the_status()
    {
        var created = await _harness.PodAsync("web");

        var outcome = await Registry.UpdateAsync(Web, Pod(pod =>
        {
            pod.Status.Phase = "Running";
            pod.Status.PodIP = "10.0.0.9";
            pod.SetLabel("tier", "web");
            pod.Spec.Containers[0].Image = "nginx:1.28";
        }), UpdateOptions.Status());

        Assert.True(outcome.Changed);
        var stored = await _harness.GetPodAsync("web");
        Assert.Equal(("Running", "10.0.0.9"), (stored!.Status.Phase, stored.Status.PodIP));
        Assert.Null(stored.Metadata.Labels);
        Assert.Equal("nginx:1.27", stored.Spec.Containers[0].Image);
        Assert.Equal(created.Metadata.Generation, stored.Metadata.Generation);
        var write = _hook.After.Single(w => w.Operation == WriteOperation.Update);
        Assert.Equal("status", write.Subresource);
        Assert.Equal("Pending", ((V1Pod)write.Old!).Status.Phase);
        Assert.Equal("Running", ((V1Pod)write.Object).Status.Phase);
    }

    [Fact]
    public async Task A_status_update_that_breaks_the_kinds_rules_is_Invalid()
    {
        await _harness.PodAsync("web");
        var finished = await _harness.PhaseAsync("web", "Succeeded");

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => _harness.PhaseAsync("web", "Running"));

        Assert.Equal(RejectionReason.Invalid, error.Reason);
        Assert.Equal("status.phase", Assert.Single(error.Errors).Field);
        Assert.Equal(finished.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_binding_sets_the_node_and_nothing_else()
    {
        await _harness.PodAsync("web");

        var outcome = await Registry.UpdateAsync(Web, Pod(pod =>
        {
            pod.Spec.NodeName = "node-1";
            pod.SetLabel("tier", "web");
            pod.Status.Phase = "Running";
        }), new UpdateOptions("binding"));

        Assert.True(outcome.Changed);
        var stored = await _harness.GetPodAsync("web");
        Assert.Equal("node-1", stored!.Spec.NodeName);
        Assert.Null(stored.Metadata.Labels);
        Assert.Equal("Pending", stored.Status.Phase);
        Assert.Equal("binding", _hook.After.Single(w => w.Operation == WriteOperation.Update).Subresource);
    }

    [Fact]
    public async Task A_binding_of_a_bound_pod_is_Conflict()
    {
        var created = await _harness.PodAsync("web", "node-1");

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.UpdateAsync(Web, Pod(pod => pod.Spec.NodeName = "node-2"), new UpdateOptions("binding")));

        Assert.Equal(RejectionReason.Conflict, error.Reason);
        Assert.Equal("pod web is already assigned to node \"node-1\"", error.Detail);
        Assert.Equal(created.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_binding_of_a_pod_being_deleted_is_Conflict()
    {
        await _harness.PodAsync("web", null, "example.com/keep");
        await Registry.DeleteAsync(Web);

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.UpdateAsync(Web, Pod(pod => pod.Spec.NodeName = "node-1"), new UpdateOptions("binding")));

        Assert.Equal(RejectionReason.Conflict, error.Reason);
        Assert.Equal("pod web is being deleted, cannot be assigned to a host", error.Detail);
        Assert.Null((await _harness.GetPodAsync("web"))!.Spec.NodeName);
    }

    [Theory]
    [InlineData("", "target.name: Required value")]
    [InlineData("Node_1", "target.name: Invalid value: \"Node_1\"")]
    public async Task A_binding_to_no_node_or_a_bad_name_is_Invalid(string node, string error)
    {
        await _harness.PodAsync("web");

        var rejected = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.UpdateAsync(Web, Pod(pod => pod.Spec.NodeName = node), new UpdateOptions("binding")));

        Assert.Equal(RejectionReason.Invalid, rejected.Reason);
        Assert.StartsWith(error, Assert.Single(rejected.Errors).ToString(), StringComparison.Ordinal);
        Assert.Null((await _harness.GetPodAsync("web"))!.Spec.NodeName);
    }

    [Fact]
    public async Task Finalize_is_the_only_way_to_change_a_namespaces_spec_finalizers()
    {
        await _harness.NamespaceAsync("team");
        var key = RegistryHarness.NamespaceKey("team");

        await Registry.UpdateAsync(key, obj =>
        {
            ((V1Namespace)obj).Spec.Finalizers = ["kubernetes", "example.com/cleanup"];
            return obj;
        });
        Assert.Equal(["kubernetes"], ((V1Namespace)(await _harness.GetAsync(key))!).Spec.Finalizers);

        var outcome = await Registry.UpdateAsync(key, obj =>
        {
            ((V1Namespace)obj).Spec.Finalizers = ["kubernetes", "example.com/cleanup"];
            obj.SetLabel("ignored", "yes");
            return obj;
        }, new UpdateOptions("finalize"));

        Assert.True(outcome.Changed);
        Assert.False(outcome.Removed);
        var stored = (V1Namespace)(await _harness.GetAsync(key))!;
        Assert.Equal(["kubernetes", "example.com/cleanup"], stored.Spec.Finalizers);
        Assert.False(stored.Metadata.Labels.ContainsKey("ignored"));
    }

    [Fact]
    public async Task Finalize_with_a_finalizer_name_that_is_not_qualified_is_Invalid()
    {
        await _harness.NamespaceAsync("team");

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.UpdateAsync(RegistryHarness.NamespaceKey("team"), obj =>
        {
            ((V1Namespace)obj).Spec.Finalizers = ["cleanup"];
            return obj;
        }, new UpdateOptions("finalize")));

        Assert.Equal(RejectionReason.Invalid, error.Reason);
        Assert.Equal("spec.finalizers", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public async Task Finalizing_a_terminating_namespace_to_no_finalizers_removes_it()
    {
        await _harness.NamespaceAsync("team");
        var key = RegistryHarness.NamespaceKey("team");
        await Registry.DeleteAsync(key);

        var outcome = await Registry.UpdateAsync(key, obj =>
        {
            ((V1Namespace)obj).Spec.Finalizers = [];
            return obj;
        }, new UpdateOptions("finalize"));

        Assert.True(outcome.Removed);
        Assert.True(outcome.Changed);
        Assert.Null(await _harness.GetAsync(key));
        var write = _hook.After.Last();
        Assert.Equal((WriteOperation.Delete, "finalize", "team"), (write.Operation, write.Subresource, write.Object.Metadata.Name));
    }

    [Theory]
    [InlineData(null, true, true)]      // deleted with no grace, waiting only for the finalizer: removed
    [InlineData("node-1", true, false)] // deleted with a grace period its kubelet still runs out: stays
    [InlineData(null, false, false)]    // not being deleted: stays
    public async Task Removing_the_last_finalizer_removes_an_object_whose_deletion_waits_only_for_it(string? node, bool deleted, bool removed)
    {
        await _harness.PodAsync("web", node, "example.com/keep");
        if (deleted)
        {
            await Registry.DeleteAsync(Web);
        }

        var outcome = await Registry.UpdateAsync(Web, Pod(pod => pod.Metadata.Finalizers = null));

        Assert.Equal(removed, outcome.Removed);
        Assert.True(outcome.Changed);
        var stored = await _harness.GetPodAsync("web");
        Assert.Equal(removed, stored is null);
        Assert.Equal(removed ? WriteOperation.Delete : WriteOperation.Update, _hook.After.Last().Operation);
    }

    [Fact]
    public async Task Removing_one_of_two_finalizers_of_an_object_being_deleted_keeps_it()
    {
        await _harness.PodAsync("web", null, "example.com/a", "example.com/b");
        await Registry.DeleteAsync(Web);

        var outcome = await Registry.UpdateAsync(Web, Pod(pod => pod.Metadata.Finalizers = ["example.com/b"]));

        Assert.False(outcome.Removed);
        Assert.Equal(["example.com/b"], (await _harness.GetPodAsync("web"))!.Metadata.Finalizers);
    }

    [Fact]
    public async Task Adding_a_finalizer_to_an_object_being_deleted_is_Invalid()
    {
        await _harness.PodAsync("web", null, "example.com/a");
        await Registry.DeleteAsync(Web);

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.UpdateAsync(Web, Pod(pod => pod.Metadata.Finalizers = ["example.com/a", "example.com/b"])));

        Assert.Equal("metadata.finalizers", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public async Task A_dry_run_update_stores_nothing_but_says_what_it_would_do()
    {
        var created = await _harness.PodAsync("web");

        var outcome = await Registry.UpdateAsync(Web, Pod(pod => pod.SetLabel("tier", "web")), new UpdateOptions(DryRun: true));

        Assert.True(outcome.Changed);
        Assert.Equal("web", outcome.Object.Metadata.Labels["tier"]);
        var stored = await _harness.GetPodAsync("web");
        Assert.Null(stored!.Metadata.Labels);
        Assert.Equal(created.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        Assert.DoesNotContain(_hook.After, w => w.Operation == WriteOperation.Update);
    }

    [Fact]
    public async Task A_dry_run_that_would_remove_the_object_leaves_it()
    {
        await _harness.PodAsync("web", null, "example.com/keep");
        var marked = (await Registry.DeleteAsync(Web)).Object;

        var outcome = await Registry.UpdateAsync(Web, Pod(pod => pod.Metadata.Finalizers = null), new UpdateOptions(DryRun: true));

        Assert.True(outcome.Removed);
        Assert.Equal(marked.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_before_hook_may_refuse_an_update_and_then_nothing_changes()
    {
        var created = await _harness.PodAsync("web");
        _hook.OnBefore = write => throw new ObjectRejectedException(RejectionReason.Forbidden, write.Kind.Type, write.Object.Metadata.Name, "denied");

        await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.UpdateAsync(Web, Pod(pod => pod.SetLabel("tier", "web"))));

        Assert.Equal(created.Metadata.ResourceVersion, (await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion);
        Assert.DoesNotContain(_hook.After, w => w.Operation == WriteOperation.Update);
    }
}
