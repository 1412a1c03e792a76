using DurableKube.Domain.Deletion;
using DurableKube.Domain.Deployments;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Deployments;

public sealed class DeploymentControllerTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await WorkflowHarness.StartAsync();
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Deployment Deployment(string name, int replicas, string image, string strategy = "RollingUpdate") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Strategy = new V1DeploymentStrategy { Type = strategy },
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Containers = [new V1Container { Name = "web", Image = image, Command = ["sh", "-c", "sleep 3600"] }],
                },
            },
        },
    };

    private async Task<V1Deployment> CreateAsync(V1Deployment deployment) =>
        (V1Deployment)await _harness.Registry.CreateAsync(ResourceTypes.Deployments, deployment);

    private async Task ChangeAsync(string name, Action<V1Deployment> change) =>
        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Deployments, "default", name), obj =>
        {
            change((V1Deployment)obj);
            return obj;
        });

    private async Task<V1Deployment> WaitForAsync(string name, Func<V1Deployment, bool> condition, Func<Task>? sample = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        V1Deployment? deployment = null;
        while (DateTime.UtcNow < deadline)
        {
            deployment = (V1Deployment?)await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Deployments, "default", name));
            if (sample is not null)
            {
                await sample();
            }

            if (deployment is not null && condition(deployment))
            {
                return deployment;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"deployment {name} did not get there; last status: {KubeJson.Serialize(deployment?.Status)}");
    }

    private static bool RolledOut(V1Deployment d) =>
        d.Status?.ObservedGeneration >= d.Metadata.Generation
        && DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing)?.Reason == DeploymentConditions.NewReplicaSetAvailable
        && d.Status.UpdatedReplicas == d.Spec.Replicas && d.Status.Replicas == d.Spec.Replicas && d.Status.AvailableReplicas == d.Spec.Replicas;

    private async Task<IReadOnlyList<V1ReplicaSet>> ReplicaSetsOfAsync(V1Deployment deployment) =>
        [.. (await _harness.Store.ListAsync(ResourceTypes.ReplicaSets, "default", ListQuery.All)).Items.Cast<V1ReplicaSet>()
            .Where(rs => OwnerReferences.ControllerOf(rs.Metadata)?.Uid == deployment.Metadata.Uid)
            .OrderBy(rs => DeploymentSync.RevisionOf(rs))];

    private async Task<IReadOnlyList<V1Pod>> PodsOfAsync(V1ReplicaSet rs) =>
        [.. (await _harness.Store.ListAsync(ResourceTypes.Pods, "default", ListQuery.All)).Items.Cast<V1Pod>()
            .Where(p => OwnerReferences.ControllerOf(p.Metadata)?.Uid == rs.Metadata.Uid)];

    [Fact]
    public async Task A_new_template_rolls_out_to_a_new_ReplicaSet_and_leaves_the_old_one_at_0()
    {
        var created = await CreateAsync(Deployment("web", 3, "nginx:1.14.2"));
        await WaitForAsync("web", RolledOut);

        await ChangeAsync("web", d => d.Spec.Template.Spec.Containers[0].Image = "nginx:1.16.1");
        var done = await WaitForAsync("web", RolledOut);

        var rss = await ReplicaSetsOfAsync(created);
        Assert.Equal(2, rss.Count);
        Assert.Equal((0, 0), (rss[0].Spec.Replicas, rss[0].Status?.Replicas ?? 0));
        Assert.Equal((3, 3), (rss[1].Spec.Replicas, rss[1].Status.AvailableReplicas));
        Assert.Equal("nginx:1.16.1", rss[1].Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(("1", "2"), (rss[0].Metadata.Annotations[DeploymentAnnotations.Revision], rss[1].Metadata.Annotations[DeploymentAnnotations.Revision]));
        Assert.Equal("2", done.Metadata.Annotations[DeploymentAnnotations.Revision]);
        Assert.Equal($"ReplicaSet \"{rss[1].Metadata.Name}\" has successfully progressed.", DeploymentConditions.Get(done.Status, DeploymentConditions.Progressing)!.Message);
        Assert.All(await PodsOfAsync(rss[1]), p => Assert.Equal(rss[1].Spec.Template.Metadata.Labels[DeploymentAnnotations.PodTemplateHashLabel], p.Metadata.Labels[DeploymentAnnotations.PodTemplateHashLabel]));
    }

    [Fact]
    public async Task Recreate_stops_every_old_pod_before_the_new_ReplicaSet_starts_any()
    {
        var created = await CreateAsync(Deployment("recreate", 2, "nginx:1.14.2", "Recreate"));
        await WaitForAsync("recreate", RolledOut);
        var first = (await ReplicaSetsOfAsync(created)).Single();

        await ChangeAsync("recreate", d => d.Spec.Template.Spec.Containers[0].Image = "nginx:1.16.1");
        var overlapped = false;
        await WaitForAsync("recreate", RolledOut, async () =>
        {
            var rss = await ReplicaSetsOfAsync(created);
            if (rss.Count == 2 && (await PodsOfAsync(rss[1])).Count > 0 && (await PodsOfAsync(first)).Count > 0)
            {
                overlapped = true;
            }
        });

        Assert.False(overlapped, "a new pod was made while an old one was still there");
        var final = await ReplicaSetsOfAsync(created);
        Assert.Equal((0, 2), (final[0].Spec.Replicas, final[1].Spec.Replicas));
        Assert.Empty(await PodsOfAsync(first));
    }

    [Fact]
    public async Task A_paused_Deployment_scales_but_does_not_roll_until_resumed()
    {
        var created = await CreateAsync(Deployment("paused", 2, "nginx:1.14.2"));
        await WaitForAsync("paused", RolledOut);

        await ChangeAsync("paused", d => d.Spec.Paused = true);
        await ChangeAsync("paused", d =>
        {
            d.Spec.Template.Spec.Containers[0].Image = "nginx:1.16.1";
            d.Spec.Replicas = 3;
        });
        var paused = await WaitForAsync("paused", d =>
            d.Status is { } s && s.ObservedGeneration == d.Metadata.Generation && s.Replicas == 3
            && DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing)?.Reason == DeploymentConditions.DeploymentPaused);

        Assert.Equal("Deployment is paused", DeploymentConditions.Get(paused.Status, DeploymentConditions.Progressing)!.Message);
        var rss = await ReplicaSetsOfAsync(created);
        Assert.Equal("nginx:1.14.2", rss.Single().Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(3, rss.Single().Spec.Replicas);

        await ChangeAsync("paused", d => d.Spec.Paused = false);
        await WaitForAsync("paused", d => RolledOut(d) && d.Metadata.Annotations is { } a && a.TryGetValue(DeploymentAnnotations.Revision, out var r) && r == "2");
        Assert.Equal(2, (await ReplicaSetsOfAsync(created)).Count);
    }

    [Fact]
    public async Task A_sync_that_fails_after_creating_the_new_ReplicaSet_makes_no_second_one_when_retried()
    {
        // Every status write of the Deployment fails for a while: each try of the sync has already created (or found) the
        // new ReplicaSet when it fails; the retries must find it by its template, not make another.
        var failures = 5;
        _harness.Faults.Fault = (operation, type, _) =>
            operation == "Update" && type == ResourceTypes.Deployments && Interlocked.Decrement(ref failures) >= 0 ? new IOException("storage is down") : null;
        var created = await CreateAsync(Deployment("crashy", 2, "nginx:1.14.2"));

        await WaitForAsync("crashy", RolledOut);

        Assert.True(failures < 0);
        Assert.Single(await ReplicaSetsOfAsync(created));
    }

    [Fact]
    public async Task Deleting_a_Deployment_deletes_its_ReplicaSets_and_their_pods()
    {
        var created = await CreateAsync(Deployment("doomed", 2, "nginx:1.14.2"));
        await WaitForAsync("doomed", RolledOut);
        var rs = (await ReplicaSetsOfAsync(created)).Single();

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Deployments, "default", "doomed"), new DeleteOptions(PropagationPolicy: PropagationPolicy.Background));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (((await ReplicaSetsOfAsync(created)).Count > 0 || (await PodsOfAsync(rs)).Count > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(await ReplicaSetsOfAsync(created));
        Assert.Empty(await PodsOfAsync(rs));
    }
}
