using DurableKube.Domain.Jobs;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Batch;

public sealed class JobControllerTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1Job Job(string name, int? completions = null, int? parallelism = null, int? backoffLimit = null, long? activeDeadlineSeconds = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            ActiveDeadlineSeconds = activeDeadlineSeconds,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    TerminationGracePeriodSeconds = 1,
                    Containers = [new V1Container { Name = "work", Image = "busybox", Command = ["sh", "-c", "work"] }],
                },
            },
        },
    };

    private async Task<V1Job> CreateAsync(V1Job job) => (V1Job)await _harness.Registry.CreateAsync(ResourceTypes.Jobs, job);

    private async Task<V1Job> WaitForJobAsync(string name, Func<V1Job, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        V1Job? job = null;
        while (DateTime.UtcNow < deadline)
        {
            job = (V1Job?)await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.Jobs, "default", name));
            if (job is not null && condition(job))
            {
                return job;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {name} did not get there; last status: {DurableKube.Domain.Serialization.KubeJson.Serialize(job?.Status)}");
    }

    private async Task<IReadOnlyList<V1Pod>> PodsOfAsync(V1Job job) =>
        (await _harness.Store.ListAsync(ResourceTypes.Pods, "default", ListQuery.All)).Items.Cast<V1Pod>()
            .Where(p => OwnerReferences.ControllerOf(p.Metadata)?.Uid == job.Metadata.Uid).ToList();

    [Fact]
    public async Task A_Job_with_3_completions_and_parallelism_2_runs_at_most_2_pods_and_completes()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(300), 0);
        var created = await CreateAsync(Job("three", completions: 3, parallelism: 2));

        var running = await WaitForJobAsync("three", j => j.Status?.Active > 0);
        Assert.True(running.Status.Active <= 2);
        var job = await WaitForJobAsync("three", j => JobConditions.IsTrue(j, "Complete"));

        Assert.Equal((3, 0, 0), (job.Status.Succeeded, job.Status.Failed ?? 0, job.Status.Active ?? 0));
        Assert.True(JobConditions.IsTrue(job, "SuccessCriteriaMet"));
        Assert.NotNull(job.Status.CompletionTime);
        var pods = await PodsOfAsync(created);
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.DoesNotContain(JobLabels.TrackingFinalizer, p.Metadata.Finalizers ?? []));
        Assert.All(pods, p => Assert.Equal("three", p.Metadata.Labels[JobLabels.JobName]));
        Assert.Equal(3, _harness.Runtime.Launches.Count);
    }

    [Fact]
    public async Task Failing_pods_back_off_and_the_Job_fails_with_BackoffLimitExceeded()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(100), 1);
        var created = await CreateAsync(Job("failing", backoffLimit: 1));

        var job = await WaitForJobAsync("failing", j => JobConditions.IsTrue(j, "Failed"), TimeSpan.FromSeconds(40));

        var failed = job.Status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("BackoffLimitExceeded", "Job has reached the specified backoff limit"), (failed.Reason, failed.Message));
        Assert.True(JobConditions.IsTrue(job, "FailureTarget"));
        Assert.Equal(2, job.Status.Failed);
        var pods = (await PodsOfAsync(created)).OrderBy(p => p.Metadata.CreationTimestamp).ToList();
        Assert.Equal(2, pods.Count);

        // The second pod waited out the 10 s back-off after the first failure.
        var firstFinished = JobBackoff.FinishedAt(pods[0]);
        Assert.True(pods[1].Metadata.CreationTimestamp >= (firstFinished + JobBackoff.Initial - TimeSpan.FromSeconds(1)).UtcDateTime);
    }

    [Fact]
    public async Task A_Job_running_past_its_activeDeadlineSeconds_fails_with_DeadlineExceeded_and_its_pods_are_stopped()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        var created = await CreateAsync(Job("slow", activeDeadlineSeconds: 2));

        var job = await WaitForJobAsync("slow", j => JobConditions.IsTrue(j, "Failed"));

        var failed = job.Status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("DeadlineExceeded", "Job was active longer than specified deadline"), (failed.Reason, failed.Message));
        Assert.Equal(0, job.Status.Active ?? 0);
        foreach (var pod in await PodsOfAsync(created))
        {
            Assert.NotNull(pod.Metadata.DeletionTimestamp);
        }
    }

    [Fact]
    public async Task A_crash_between_creating_a_pod_and_recording_it_makes_neither_an_extra_pod_nor_an_extra_completion()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(200), 0);

        // Every status write of the Job fails for a while: pods are created, finish and lose their finalizer
        // while nothing is recorded; the syncs that follow must count each pod once.
        var failures = 6;
        _harness.Faults.Fault = (operation, type, _) =>
            operation == "Update" && type == ResourceTypes.Jobs && Interlocked.Decrement(ref failures) >= 0 ? new IOException("storage is down") : null;
        var created = await CreateAsync(Job("crashy", completions: 2, parallelism: 2));

        var job = await WaitForJobAsync("crashy", j => JobConditions.IsTrue(j, "Complete"), TimeSpan.FromSeconds(40));

        Assert.Equal(2, job.Status.Succeeded);
        Assert.Equal(2, (await PodsOfAsync(created)).Count);
    }

    [Fact]
    public async Task Deleting_a_Job_deletes_its_pods_though_they_carry_the_tracking_finalizer()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        var created = await CreateAsync(Job("doomed", completions: 1));
        await WaitForJobAsync("doomed", j => j.Status?.Active == 1);

        await _harness.Registry.DeleteAsync(new ObjectKey(ResourceTypes.Jobs, "default", "doomed"), new DurableKube.Registry.DeleteOptions(PropagationPolicy: DurableKube.Domain.Deletion.PropagationPolicy.Background));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await PodsOfAsync(created)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(await PodsOfAsync(created));
    }
}
