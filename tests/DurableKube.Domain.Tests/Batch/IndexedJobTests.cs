using DurableKube.Domain.Jobs;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Batch;

public class IndexedJobTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static V1Job Job(int completions = 5, int parallelism = 3, string? completed = null, int succeeded = 0, string? managedBy = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "indexed", NamespaceProperty = "default", Uid = "job-uid", CreationTimestamp = KubeTime.Truncate(T0) },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            CompletionMode = "Indexed",
            BackoffLimit = 6,
            ManagedBy = managedBy,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [JobLabels.ControllerUid] = "job-uid" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [JobLabels.ControllerUid] = "job-uid" } },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    InitContainers = [new V1Container { Name = "init", Image = "busybox" }],
                    Containers = [new V1Container { Name = "worker", Image = "busybox", Env = [new V1EnvVar { Name = "A", Value = "1" }] }],
                },
            },
        },
        Status = new V1JobStatus { StartTime = KubeTime.Truncate(T0), CompletedIndexes = completed, Succeeded = succeeded },
    };

    private static V1Pod Pod(string name, string phase, int? index, bool finalizer = true, int startSecond = 0) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Uid = name + "-uid",
            NamespaceProperty = "default",
            CreationTimestamp = KubeTime.Truncate(T0.AddSeconds(startSecond)),
            Labels = new Dictionary<string, string> { [JobLabels.ControllerUid] = "job-uid" },
            Annotations = index is { } i ? new Dictionary<string, string> { [JobLabels.CompletionIndex] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null,
            Finalizers = finalizer ? [JobLabels.TrackingFinalizer] : null,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "indexed", Uid = "job-uid", Controller = true }],
        },
        Spec = new V1PodSpec { NodeName = "node-1" },
        Status = new V1PodStatus { Phase = phase, StartTime = KubeTime.Truncate(T0.AddSeconds(startSecond)) },
    };

    [Theory]
    [InlineData("", 10, new int[0])]
    [InlineData("0", 10, new[] { 0 })]
    [InlineData("1,3-5,7", 10, new[] { 1, 3, 4, 5, 7 })]
    [InlineData("0-2,8-12", 10, new[] { 0, 1, 2, 8, 9 })] // indexes beyond the completions are dropped
    [InlineData("x,2,4-y", 10, new[] { 2 })]              // what cannot be read is skipped
    public void Completed_indexes_are_read_as_intervals_within_the_completions(string text, int completions, int[] indexes)
    {
        Assert.Equal(indexes, CompletionIndexes.Parse(text, completions));
    }

    [Theory]
    [InlineData(new int[0], "")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new[] { 0, 1, 2 }, "0-2")]
    [InlineData(new[] { 7, 1, 4, 3, 5, 3 }, "1,3-5,7")]
    public void Completed_indexes_are_written_as_ordered_compressed_intervals(int[] indexes, string text)
    {
        Assert.Equal(text, CompletionIndexes.Format(indexes));
    }

    [Fact]
    public void An_indexed_pod_holds_its_index_in_its_name_annotation_label_hostname_and_every_containers_environment()
    {
        var owner = new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "indexed", Uid = "job-uid", Controller = true };

        var pod = JobPods.NewPod(Job(), owner, 3);

        Assert.Equal("indexed-3-", pod.Metadata.GenerateName);
        Assert.Equal("3", pod.Metadata.Annotations[JobLabels.CompletionIndex]);
        Assert.Equal("3", pod.Metadata.Labels[JobLabels.CompletionIndex]);
        Assert.Equal("indexed-3", pod.Spec.Hostname);
        Assert.Contains(JobLabels.TrackingFinalizer, pod.Metadata.Finalizers);
        foreach (var container in pod.Spec.InitContainers.Concat(pod.Spec.Containers))
        {
            var env = Assert.Single(container.Env, e => e.Name == "JOB_COMPLETION_INDEX");
            Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.ValueFrom.FieldRef.FieldPath);
        }

        Assert.Equal(["A", "JOB_COMPLETION_INDEX"], pod.Spec.Containers[0].Env.Select(e => e.Name));
    }

    [Fact]
    public void A_non_indexed_pod_holds_no_index()
    {
        var owner = new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "indexed", Uid = "job-uid", Controller = true };

        var pod = JobPods.NewPod(Job(), owner);

        Assert.Equal("indexed-", pod.Metadata.GenerateName);
        Assert.Null(pod.Spec.Hostname);
        Assert.False(pod.Metadata.Annotations?.ContainsKey(JobLabels.CompletionIndex) ?? false);
        Assert.DoesNotContain(pod.Spec.Containers[0].Env, e => e.Name == "JOB_COMPLETION_INDEX");
    }

    [Fact]
    public void A_new_indexed_Job_creates_the_lowest_indexes_up_to_its_parallelism()
    {
        var plan = JobSync.Plan(Job(), [], T0);

        Assert.Equal([0, 1, 2], plan.CreateIndexes);
        Assert.Equal(3, plan.Create);
    }

    [Fact]
    public void Pending_indexes_skip_the_completed_and_the_running_ones()
    {
        var pods = new[] { Pod("a", "Running", 0), Pod("b", "Running", 2) };

        var plan = JobSync.Plan(Job(completed: "1,3", succeeded: 2), pods, T0.AddSeconds(5));

        Assert.Equal([4], plan.CreateIndexes);
    }

    [Fact]
    public void A_success_completes_its_index_once_and_a_second_success_of_the_same_index_counts_for_nothing()
    {
        var pods = new[] { Pod("a", "Succeeded", 1), Pod("b", "Succeeded", 1, startSecond: 1), Pod("c", "Succeeded", 4) };

        var plan = JobSync.Plan(Job(), pods, T0.AddSeconds(5));

        Assert.Equal("1,4", plan.Interim!.CompletedIndexes);
        Assert.Equal(["a-uid", "c-uid"], plan.Interim.UncountedTerminatedPods.Succeeded);
        Assert.Equal(["a", "b", "c"], plan.RemoveFinalizers.Select(p => p.Metadata.Name)); // every finished pod is let go
        Assert.Equal((2, "1,4"), (plan.Status!.Succeeded, plan.Status.CompletedIndexes));
        Assert.Equal([0, 2, 3], plan.CreateIndexes);
    }

    [Fact]
    public void A_pod_of_an_index_held_twice_or_already_completed_or_of_no_index_is_deleted()
    {
        var pods = new[]
        {
            Pod("first", "Running", 0, startSecond: 0),
            Pod("second", "Running", 0, startSecond: 10),
            Pod("done-again", "Running", 1),
            Pod("stray", "Running", null),
            Pod("beyond", "Running", 9),
        };

        var plan = JobSync.Plan(Job(completed: "1", succeeded: 1), pods, T0.AddSeconds(20));

        Assert.Equal(["beyond", "done-again", "second", "stray"], plan.Delete.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal([2, 3], plan.CreateIndexes);
    }

    [Fact]
    public void An_indexed_Job_is_complete_when_every_index_has_succeeded()
    {
        var pods = new[] { Pod("last", "Succeeded", 2) };

        var plan = JobSync.Plan(Job(completions: 3, completed: "0-1", succeeded: 2), pods, T0.AddSeconds(30));

        Assert.Equal((3, "0-2"), (plan.Status!.Succeeded, plan.Status.CompletedIndexes));
        Assert.Contains(plan.Status.Conditions, c => c.Type == JobConditions.Complete && c.Status == "True");
        Assert.Empty(plan.CreateIndexes);
    }

    [Theory]
    [InlineData("example.com/queue-controller", 0)]
    [InlineData("kubernetes.io/job-controller", 3)]
    [InlineData(null, 3)]
    public void A_Job_managed_by_another_controller_is_left_alone(string? managedBy, int creates)
    {
        var plan = JobSync.Plan(Job(managedBy: managedBy), [], T0);

        Assert.Equal(creates, plan.Create);
        Assert.Equal(creates == 0, plan.Status is null);
    }

    [Theory]
    [InlineData("backoffLimitPerIndex", "spec.backoffLimitPerIndex: Forbidden: per-index back-off limits are not served by DurableKube yet")]
    [InlineData("maxFailedIndexes", "spec.maxFailedIndexes: Forbidden: per-index back-off limits are not served by DurableKube yet")]
    [InlineData("successPolicy", "spec.successPolicy: Forbidden: success policies are not served by DurableKube yet")]
    public void Fields_the_Job_controller_here_does_not_act_on_are_refused_not_ignored(string field, string error)
    {
        var spec = KubeJson.Clone(Job().Spec);
        switch (field)
        {
            case "backoffLimitPerIndex":
                spec.BackoffLimitPerIndex = 1;
                break;
            case "maxFailedIndexes":
                spec.MaxFailedIndexes = 1;
                break;
            default:
                spec.SuccessPolicy = new V1SuccessPolicy { Rules = [new V1SuccessPolicyRule { SucceededCount = 1 }] };
                break;
        }

        Assert.Contains(error, JobValidation.ValidateSpec(spec, "spec").Select(e => e.ToString()));
    }
}
