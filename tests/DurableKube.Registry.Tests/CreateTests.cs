using System.Text.RegularExpressions;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Moq;

namespace DurableKube.Registry.Tests;

public sealed class CreateTests
{
    private readonly RecordingHook _hook = new();
    private readonly RegistryHarness _harness;

    public CreateTests() => _harness = new RegistryHarness(_hook);

    private ObjectRegistry Registry => _harness.Registry;

    [Fact]
    public async Task A_new_pod_is_defaulted_identified_timestamped_and_stored_at_generation_one()
    {
        await _harness.NamespaceAsync("default");

        var created = (V1Pod)await Registry.CreateAsync(ResourceTypes.Pods, RegistryHarness.NewPod("web"));

        var stored = await _harness.GetPodAsync("web");
        Assert.NotNull(stored);
        Assert.Equal(created.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        Assert.Equal(("v1", "Pod"), (stored.ApiVersion, stored.Kind));
        Assert.True(Guid.TryParse(stored.Metadata.Uid, out _), stored.Metadata.Uid);
        Assert.Equal(RegistryHarness.NowSeconds, stored.Metadata.CreationTimestamp);
        Assert.Equal(1, stored.Metadata.Generation);
        Assert.Null(stored.Metadata.DeletionTimestamp);

        // Scheme defaults (PodDefaults.Apply) and what admission adds on create (PodDefaults.ApplyOnCreate).
        Assert.Equal("Always", stored.Spec.RestartPolicy);
        Assert.Equal("ClusterFirst", stored.Spec.DnsPolicy);
        Assert.Equal(30, stored.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("default", stored.Spec.ServiceAccountName);
        Assert.Equal("IfNotPresent", stored.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public async Task Two_creates_get_different_uids()
    {
        await _harness.NamespaceAsync("default");

        var a = await _harness.PodAsync("a");
        var b = await _harness.PodAsync("b");

        Assert.NotEqual(a.Metadata.Uid, b.Metadata.Uid);
    }

    [Fact]
    public async Task The_status_a_client_sends_is_replaced_and_a_pod_starts_Pending()
    {
        await _harness.NamespaceAsync("default");
        var pod = RegistryHarness.NewPod("web");
        pod.Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.9" };

        await Registry.CreateAsync(ResourceTypes.Pods, pod);

        var stored = await _harness.GetPodAsync("web");
        Assert.Equal("Pending", stored!.Status.Phase);
        Assert.Null(stored.Status.PodIP);
        Assert.Equal("BestEffort", stored.Status.QosClass);
    }

    [Fact]
    public async Task A_deletion_timestamp_a_client_sends_is_dropped()
    {
        await _harness.NamespaceAsync("default");
        var pod = RegistryHarness.NewPod("web");
        pod.Metadata.DeletionTimestamp = RegistryHarness.NowSeconds;
        pod.Metadata.DeletionGracePeriodSeconds = 30;
        pod.Metadata.Uid = "chosen-by-client";

        await Registry.CreateAsync(ResourceTypes.Pods, pod);

        var stored = await _harness.GetPodAsync("web");
        Assert.Null(stored!.Metadata.DeletionTimestamp);
        Assert.Null(stored.Metadata.DeletionGracePeriodSeconds);
        Assert.NotEqual("chosen-by-client", stored.Metadata.Uid);
    }

    [Fact]
    public async Task A_namespace_gets_its_name_label_its_finalizer_and_phase_Active()
    {
        var created = await _harness.NamespaceAsync("team");

        var stored = (V1Namespace)(await _harness.GetAsync(RegistryHarness.NamespaceKey("team")))!;
        Assert.Equal(created.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        Assert.Equal("team", stored.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], stored.Spec.Finalizers);
        Assert.Equal("Active", stored.Status.Phase);
        Assert.Null(stored.Metadata.Generation);
    }

    [Fact]
    public async Task A_cluster_scoped_object_loses_a_namespace_it_was_sent_with()
    {
        await Registry.CreateAsync(ResourceTypes.Nodes, new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", NamespaceProperty = "default" } });

        var stored = await _harness.GetAsync(RegistryHarness.NodeKey("node-1"));
        Assert.NotNull(stored);
        Assert.Null(stored.Metadata.NamespaceProperty);
    }

    [Fact]
    public async Task GenerateName_makes_the_prefix_and_five_random_characters()
    {
        await _harness.NamespaceAsync("default");
        var pod = RegistryHarness.NewPod(null!);
        pod.Metadata.GenerateName = "web-";

        var created = await Registry.CreateAsync(ResourceTypes.Pods, pod);

        Assert.Matches(new Regex("^web-[bcdfghjklmnpqrstvwxz2456789]{5}$"), created.Metadata.Name);
        Assert.Equal("web-", created.Metadata.GenerateName);
        Assert.NotNull(await _harness.GetPodAsync(created.Metadata.Name));
    }

    [Fact]
    public async Task GenerateName_draws_another_name_when_the_one_it_drew_is_taken()
    {
        var store = new TakenNamesStore(taken: 2);
        var harness = new RegistryHarness(inner => store.Over(inner));
        await harness.NamespaceAsync("default");
        var pod = RegistryHarness.NewPod(null!);
        pod.Metadata.GenerateName = "web-";

        var created = await harness.Registry.CreateAsync(ResourceTypes.Pods, pod);

        Assert.Equal(3, store.Tried.Count);
        Assert.All(store.Tried, name => Assert.Matches("^web-[a-z0-9]{5}$", name));
        Assert.Equal(store.Tried[^1], created.Metadata.Name);
        Assert.Equal(created.Metadata.Name, Assert.Single(await harness.ListAsync(ResourceTypes.Pods)).Metadata.Name);
    }

    [Fact]
    public async Task GenerateName_gives_up_with_AlreadyExists_after_its_attempts()
    {
        var store = new TakenNamesStore(taken: int.MaxValue);
        var harness = new RegistryHarness(inner => store.Over(inner));
        await harness.Store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "default", Uid = "ns" } });
        var pod = RegistryHarness.NewPod(null!);
        pod.Metadata.GenerateName = "web-";

        var error = await Assert.ThrowsAsync<StoreException>(() => harness.Registry.CreateAsync(ResourceTypes.Pods, pod));

        Assert.Equal(StoreErrorKind.AlreadyExists, error.Kind);
        Assert.Equal(ObjectRegistry.GenerateNameAttempts, store.Tried.Count);
        Assert.Empty(await harness.ListAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task A_name_the_client_chose_that_is_taken_is_AlreadyExists_at_once()
    {
        await _harness.NamespaceAsync("default");
        var first = await _harness.PodAsync("web");

        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.CreateAsync(ResourceTypes.Pods, RegistryHarness.NewPod("web")));

        Assert.Equal(StoreErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("pods \"web\" already exists", error.Message);
        Assert.Equal(first.Metadata.Uid, (await _harness.GetPodAsync("web"))!.Metadata.Uid);
    }

    [Fact]
    public async Task A_resourceVersion_on_a_new_object_is_BadRequest()
    {
        await _harness.NamespaceAsync("default");
        var pod = RegistryHarness.NewPod("web");
        pod.Metadata.ResourceVersion = "12";

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.CreateAsync(ResourceTypes.Pods, pod));

        Assert.Equal(RejectionReason.BadRequest, error.Reason);
        Assert.Equal("resourceVersion should not be set on objects to be created", error.Detail);
        Assert.Null(await _harness.GetPodAsync("web"));
    }

    [Fact]
    public async Task A_namespaced_object_without_a_namespace_is_BadRequest()
    {
        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.CreateAsync(ResourceTypes.Pods, RegistryHarness.NewPod("web", ns: null!)));

        Assert.Equal(RejectionReason.BadRequest, error.Reason);
        Assert.Equal("the object has no namespace", error.Detail);
    }

    [Fact]
    public async Task An_invalid_object_is_Invalid_with_its_field_errors_and_nothing_is_stored()
    {
        await _harness.NamespaceAsync("default");
        var pod = RegistryHarness.NewPod("Web_1");
        pod.Spec.Containers = [];

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.CreateAsync(ResourceTypes.Pods, pod));

        Assert.Equal(RejectionReason.Invalid, error.Reason);
        Assert.Equal("Web_1", error.Name);
        Assert.Contains(error.Errors, e => e.Field == "metadata.name");
        Assert.Contains(error.Errors, e => e.ToString() == "spec.containers: Required value");
        Assert.Empty(await _harness.ListAsync(ResourceTypes.Pods));
        Assert.DoesNotContain(_hook.Before, w => w.Kind.Type == ResourceTypes.Pods);
    }

    [Fact]
    public async Task A_missing_namespace_is_NotFound_for_namespaces()
    {
        var error = await Assert.ThrowsAsync<StoreException>(() => Registry.CreateAsync(ResourceTypes.Pods, RegistryHarness.NewPod("web", ns: "nowhere")));

        Assert.Equal(StoreErrorKind.NotFound, error.Kind);
        Assert.Equal(RegistryHarness.NamespaceKey("nowhere"), error.Key);
        Assert.Equal("namespaces \"nowhere\" not found", error.Message);
        Assert.Empty(await _harness.ListAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task A_terminating_namespace_is_Forbidden_with_the_NamespaceTerminating_cause()
    {
        await _harness.NamespaceAsync("team");
        await Registry.DeleteAsync(RegistryHarness.NamespaceKey("team"));
        var pod = RegistryHarness.NewPod(null!, ns: "team");
        pod.Metadata.GenerateName = "web-";

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.CreateAsync(ResourceTypes.Pods, pod));

        Assert.Equal(RejectionReason.Forbidden, error.Reason);
        Assert.Equal("web-", error.Name);
        Assert.Equal("unable to create new content in namespace team because it is being terminated", error.Detail);
        Assert.Equal(new RejectionCause("NamespaceTerminating", "namespace team is being terminated", "metadata.namespace"), error.Cause);
        Assert.Empty(await _harness.ListAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task A_namespace_whose_phase_says_Terminating_is_refused_too()
    {
        await _harness.Store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = "team", Uid = "ns-team" },
            Status = new V1NamespaceStatus { Phase = "Terminating" },
        });

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => Registry.CreateAsync(ResourceTypes.Pods, RegistryHarness.NewPod("web", ns: "team")));

        Assert.Equal("NamespaceTerminating", error.Cause?.Reason);
    }

    [Fact]
    public async Task A_dry_run_prepares_the_object_and_stores_nothing()
    {
        await _harness.NamespaceAsync("default");
        var before = await _harness.Store.GetResourceVersionAsync();

        var result = (V1Pod)await Registry.CreateAsync(ResourceTypes.Pods, RegistryHarness.NewPod("web"), new CreateOptions(DryRun: true));

        Assert.Equal("Pending", result.Status.Phase);
        Assert.Equal(1, result.Metadata.Generation);
        Assert.False(string.IsNullOrEmpty(result.Metadata.Uid));
        Assert.Null(result.Metadata.ResourceVersion);
        Assert.Null(await _harness.GetPodAsync("web"));
        Assert.Equal(before, await _harness.Store.GetResourceVersionAsync());
        Assert.DoesNotContain(_hook.After, w => w.Kind.Type == ResourceTypes.Pods);
    }

    [Fact]
    public async Task A_before_hook_sees_the_prepared_object_and_may_change_it()
    {
        await _harness.NamespaceAsync("default");
        _hook.OnBefore = write => write.Object.SetAnnotation("admitted-by", "hook");

        await _harness.PodAsync("web");

        var before = _hook.Before.Single(w => w.Kind.Type == ResourceTypes.Pods);
        Assert.Equal(WriteOperation.Create, before.Operation);
        Assert.Null(before.Old);
        Assert.Equal("Pending", ((V1Pod)before.Object).Status.Phase);
        Assert.Null(before.Object.Metadata.ResourceVersion);
        Assert.Equal("hook", (await _harness.GetPodAsync("web"))!.Metadata.Annotations["admitted-by"]);
    }

    [Fact]
    public async Task A_before_hook_may_refuse_and_then_nothing_is_stored()
    {
        await _harness.NamespaceAsync("default");
        _hook.OnBefore = write => throw new ObjectRejectedException(RejectionReason.Forbidden, write.Kind.Type, write.Object.Metadata.Name, "denied by policy");

        var error = await Assert.ThrowsAsync<ObjectRejectedException>(() => _harness.PodAsync("web"));

        Assert.Equal("denied by policy", error.Detail);
        Assert.Null(await _harness.GetPodAsync("web"));
        Assert.DoesNotContain(_hook.After, w => w.Kind.Type == ResourceTypes.Pods);
    }

    [Fact]
    public async Task An_after_hook_sees_the_object_as_stored()
    {
        await _harness.NamespaceAsync("default");

        var created = await _harness.PodAsync("web");

        var after = _hook.After.Single(w => w.Kind.Type == ResourceTypes.Pods);
        Assert.Equal(WriteOperation.Create, after.Operation);
        Assert.Null(after.Old);
        Assert.Null(after.Subresource);
        Assert.Equal(created.Metadata.ResourceVersion, after.Object.Metadata.ResourceVersion);
        Assert.Equal((await _harness.GetPodAsync("web"))!.Metadata.ResourceVersion, after.Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task An_after_hook_that_throws_does_not_fail_the_write_and_is_logged()
    {
        var failing = new RecordingHook();
        var next = new RecordingHook();
        var harness = new RegistryHarness(failing, next);
        await harness.NamespaceAsync("default");
        var failure = new InvalidOperationException("the queue is down");
        failing.OnAfter = _ => throw failure;

        var created = await harness.PodAsync("web");

        Assert.Equal(created.Metadata.Uid, (await harness.GetPodAsync("web"))!.Metadata.Uid);
        Assert.Single(next.After, w => w.Kind.Type == ResourceTypes.Pods);
        harness.Logger.Verify(
            l => l.Log(LogLevel.Error, It.Is<EventId>(e => e.Id == 5003), It.IsAny<It.IsAnyType>(), failure, It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Once);
    }
}
