using DurableKube.Domain.Jobs;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Batch;

public class JobSyncTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static V1Job Job(int? completions = 3, int parallelism = 2, int backoffLimit = 6, long? deadline = null, V1JobStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "default", Uid = "job-uid", CreationTimestamp = KubeTime.Truncate(T0) },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            ActiveDeadlineSeconds = deadline,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [JobLabels.ControllerUid] = "job-uid" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [JobLabels.ControllerUid] = "job-uid" } },
                Spec = new V1PodSpec { RestartPolicy = "Never" },
            },
        },
        Status = status ?? new V1JobStatus { StartTime = KubeTime.Truncate(T0) },
    };

    private static V1Pod Pod(string name, string phase, bool finalizer = true, int finishedSecond = 0) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Uid = name + "-uid",
            NamespaceProperty = "default",
            CreationTimestamp = KubeTime.Truncate(T0),
            Labels = new Dictionary<string, string> { [JobLabels.ControllerUid] = "job-uid" },
            Finalizers = finalizer ? [JobLabels.TrackingFinalizer] : null,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "pi", Uid = "job-uid", Controller = true }],
        },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = phase is "Succeeded" or "Failed"
                ? [new V1ContainerStatus { Name = "c", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = phase == "Failed" ? 1 : 0, FinishedAt = KubeTime.Truncate(T0.AddSeconds(finishedSecond)) } } }]
                : [],
        },
    };

    [Theory]
    [InlineData(3, 2, 0, 0, 2)]
    [InlineData(3, 2, 1, 1, 1)]
    [InlineData(3, 2, 2, 0, 1)]
    [InlineData(3, 5, 0, 0, 3)]
    [InlineData(3, 2, 3, 0, 0)]
    public void Active_pods_are_the_parallelism_within_the_remaining_completions(int completions, int parallelism, int succeeded, int running, int creates)
    {
        var pods = Enumerable.Range(0, succeeded).Select(i => Pod($"done-{i}", "Succeeded", finalizer: false))
            .Concat(Enumerable.Range(0, running).Select(i => Pod($"run-{i}", "Running"))).ToList();
        var job = Job(completions, parallelism, status: new V1JobStatus { StartTime = KubeTime.Truncate(T0), Succeeded = succeeded });

        Assert.Equal(creates, JobSync.Plan(job, pods, T0.AddMinutes(1)).Create);
    }

    [Fact]
    public void A_finished_pod_is_first_recorded_uncounted_then_counted_once_its_finalizer_is_gone()
    {
        var pods = new[] { Pod("a", "Succeeded"), Pod("b", "Running") };

        var plan = JobSync.Plan(Job(), pods, T0.AddSeconds(5));

        Assert.Equal(["a-uid"], plan.Interim!.UncountedTerminatedPods.Succeeded);
        Assert.Equal(["a"], plan.RemoveFinalizers.Select(p => p.Metadata.Name));
        Assert.Equal((1, 2), (plan.Status!.Succeeded, plan.Status.Active));

        // A sync cut short after the finalizer came off: the uncounted pod is counted once, never twice.
        var interrupted = Job(status: KubeJson.Clone(plan.Interim));
        var again = JobSync.Plan(interrupted, [Pod("a", "Succeeded", finalizer: false), Pod("b", "Running")], T0.AddSeconds(6));
        Assert.Null(again.Interim);
        Assert.Equal(1, again.Status!.Succeeded);
        var counted = JobSync.Plan(Job(status: again.Status), [Pod("a", "Succeeded", finalizer: false), Pod("b", "Running")], T0.AddSeconds(7));
        Assert.Equal(1, counted.Status!.Succeeded);
    }

    [Fact]
    public void Reaching_the_completions_sets_SuccessCriteriaMet_then_Complete()
    {
        var pods = new[] { Pod("a", "Succeeded"), Pod("b", "Succeeded"), Pod("c", "Succeeded") };

        var plan = JobSync.Plan(Job(), pods, T0.AddSeconds(30));

        Assert.Equal(["SuccessCriteriaMet"], plan.Interim!.Conditions.Select(c => c.Type));
        Assert.Equal(["SuccessCriteriaMet", "Complete"], plan.Status!.Conditions.Select(c => c.Type));
        var complete = plan.Status.Conditions.Last();
        Assert.Equal(("CompletionsReached", "Reached expected number of succeeded pods"), (complete.Reason, complete.Message));
        Assert.Equal(KubeTime.Truncate(T0.AddSeconds(30)), plan.Status.CompletionTime);
    }

    [Theory]
    [InlineData(1, 5, true, null)]
    [InlineData(1, 15, false, null)]
    [InlineData(2, 15, true, null)]
    [InlineData(2, 40, false, null)]
    [InlineData(3, 100, false, "BackoffLimitExceeded")]
    public void Failed_pods_are_replaced_after_a_doubling_back_off_until_the_backoff_limit(int failures, int secondsAfterLast, bool waits, string? fails)
    {
        var pods = Enumerable.Range(0, failures).Select(i => Pod($"f-{i}", "Failed", finalizer: false, finishedSecond: i)).ToList();
        var job = Job(completions: 1, parallelism: 1, backoffLimit: 2, status: new V1JobStatus { StartTime = KubeTime.Truncate(T0), Failed = failures });

        var plan = JobSync.Plan(job, pods, T0.AddSeconds(failures - 1 + secondsAfterLast));

        Assert.Equal(fails, plan.Status!.Conditions?.FirstOrDefault(c => c.Type == "FailureTarget")?.Reason);
        Assert.Equal(waits ? 0 : fails is null ? 1 : 0, plan.Create);
        if (waits)
        {
            Assert.Equal(T0.AddSeconds(failures - 1) + JobBackoff.Delay(failures), plan.RequeueAt);
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(6, 320)]
    [InlineData(7, 360)]
    [InlineData(30, 360)]
    public void The_pod_failure_back_off_is_10s_doubling_capped_at_6_minutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), JobBackoff.Delay(failures));

    [Fact]
    public void Past_its_active_deadline_a_Job_deletes_its_pods_and_fails_once_they_are_gone()
    {
        var plan = JobSync.Plan(Job(deadline: 10), [Pod("a", "Running")], T0.AddSeconds(10));

        Assert.Equal(["a"], plan.Delete.Select(p => p.Metadata.Name));
        var target = plan.Status!.Conditions.Single();
        Assert.Equal(("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"), (target.Type, target.Reason, target.Message));

        var after = JobSync.Plan(Job(deadline: 10, status: plan.Status), [], T0.AddSeconds(12));
        Assert.Contains(after.Status!.Conditions, c => c.Type == "Failed" && c.Reason == "DeadlineExceeded");
    }

    [Fact]
    public void Before_its_active_deadline_a_Job_asks_to_be_woken_at_it() =>
        Assert.Equal(T0.AddSeconds(100), JobSync.Plan(Job(deadline: 100), [Pod("a", "Running")], T0.AddSeconds(10)).RequeueAt);

    [Theory]
    [InlineData("FailJob", "Failed", 1)]
    [InlineData("Ignore", null, 0)]
    [InlineData("Count", null, 1)]
    public void A_pod_failure_policy_rule_on_exit_codes_fails_the_Job_ignores_or_counts_the_failure(string action, string? condition, int failed)
    {
        var job = Job(completions: 1, parallelism: 1);
        job.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules = [new V1PodFailurePolicyRule { Action = action, OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [1] } }],
        };

        var plan = JobSync.Plan(job, [Pod("a", "Failed")], T0.AddMinutes(1));

        Assert.Equal(condition, plan.Status!.Conditions?.FirstOrDefault(c => c.Type == "Failed")?.Type);
        Assert.Equal(failed, plan.Status.Failed);
        Assert.Equal(["a"], plan.RemoveFinalizers.Select(p => p.Metadata.Name));
        if (action == "FailJob")
        {
            Assert.Equal("Container c for pod default/a failed with exit code 1 matching FailJob rule at index 0", plan.Status.Conditions!.Single(c => c.Type == "Failed").Message);
        }
    }

    [Fact]
    public void A_finished_Job_is_deleted_once_its_ttl_has_passed()
    {
        var job = Job(status: new V1JobStatus { Conditions = [new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = KubeTime.Truncate(T0) }] });
        job.Spec.TtlSecondsAfterFinished = 60;

        Assert.Equal((false, T0.AddSeconds(60)), (JobSync.Plan(job, [], T0.AddSeconds(30)).DeleteJob, JobSync.Plan(job, [], T0.AddSeconds(30)).RequeueAt!.Value));
        Assert.True(JobSync.Plan(job, [], T0.AddSeconds(60)).DeleteJob);
    }

    [Fact]
    public void A_suspended_Job_deletes_its_pods_and_says_so()
    {
        var job = Job();
        job.Spec.Suspend = true;

        var plan = JobSync.Plan(job, [Pod("a", "Running")], T0.AddSeconds(5));

        Assert.Equal(["a"], plan.Delete.Select(p => p.Metadata.Name));
        Assert.Equal(("Suspended", "True", "JobSuspended"), (plan.Status!.Conditions.Single().Type, plan.Status.Conditions.Single().Status, plan.Status.Conditions.Single().Reason));
    }

    [Theory]
    [InlineData(null, null, null, "Running")]
    [InlineData("Complete", null, null, "Complete")]
    [InlineData("Failed", null, null, "Failed")]
    [InlineData("Suspended", null, null, "Suspended")]
    [InlineData("SuccessCriteriaMet", null, null, "SuccessCriteriaMet")]
    [InlineData("FailureTarget", null, null, "FailureTarget")]
    [InlineData(null, "deleting", null, "Terminating")]
    public void The_STATUS_column_is_the_one_kubectl_prints(string? condition, string? deleting, string? unused, string expected)
    {
        _ = unused;
        var job = Job(status: new V1JobStatus { Conditions = condition is null ? null : [new V1JobCondition { Type = condition, Status = "True" }] });
        job.Metadata.DeletionTimestamp = deleting is null ? null : KubeTime.Truncate(T0);

        Assert.Equal(expected, JobPrinter.Status(job));
    }

    [Theory]
    [InlineData(3, 2, 1, "1/3")]
    [InlineData(null, 1, 0, "0/1")]
    [InlineData(null, 4, 2, "2/1 of 4")]
    public void The_COMPLETIONS_column_is_succeeded_over_completions(int? completions, int parallelism, int succeeded, string expected)
    {
        var job = Job(completions, parallelism, status: new V1JobStatus { Succeeded = succeeded, StartTime = KubeTime.Truncate(T0), CompletionTime = KubeTime.Truncate(T0.AddSeconds(7)) });

        var cells = JobPrinter.Cells(job, T0.AddMinutes(2));

        Assert.Equal(["pi", "Running", expected, "7s", "2m"], cells.Take(5));
    }

    [Fact]
    public void A_new_Job_gets_the_defaults_a_generated_selector_and_the_job_labels()
    {
        var strategy = new JobStrategy();
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "default", Uid = "u-1" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "pi", Image = "perl", Command = ["perl"] }] } } },
        };

        strategy.Default(job);
        var errors = strategy.Validate(job);

        Assert.Empty(errors);
        Assert.Equal((1, 1, 6, "NonIndexed", false, false, "TerminatingOrFailed"), (job.Spec.Completions!.Value, job.Spec.Parallelism!.Value, job.Spec.BackoffLimit!.Value, job.Spec.CompletionMode, job.Spec.Suspend!.Value, job.Spec.ManualSelector!.Value, job.Spec.PodReplacementPolicy));
        Assert.Equal(new Dictionary<string, string> { [JobLabels.ControllerUid] = "u-1" }, job.Spec.Selector.MatchLabels);
        Assert.Equal(
            new Dictionary<string, string> { [JobLabels.ControllerUid] = "u-1", [JobLabels.JobName] = "pi", ["controller-uid"] = "u-1", ["job-name"] = "pi" },
            job.Spec.Template.Metadata.Labels);
        Assert.Equal(job.Spec.Template.Metadata.Labels, job.Metadata.Labels);
    }

    [Theory]
    [InlineData("Always", "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")]
    [InlineData("OnFailure", null)]
    public void A_Job_template_must_restart_OnFailure_or_Never(string policy, string? error)
    {
        var strategy = new JobStrategy();
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "default", Uid = "u-1" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = policy, Containers = [new V1Container { Name = "pi", Image = "perl", Command = ["perl"] }] } } },
        };
        strategy.Default(job);

        Assert.Equal(error, strategy.Validate(job).Select(e => e.ToString()).SingleOrDefault());
    }

    [Fact]
    public void The_template_and_selector_of_a_Job_are_immutable()
    {
        var old = new V1JobSpec { Completions = 1, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never" } } };
        var changed = KubeJson.Clone(old);
        changed.Template.Spec.RestartPolicy = "OnFailure";
        changed.Completions = 2;

        Assert.Equal(
            ["spec.completions: Invalid value: 2: field is immutable", "spec.template: Invalid value: {\"spec\":{\"restartPolicy\":\"OnFailure\"}}: field is immutable"],
            JobValidation.ValidateSpecUpdate(changed, old).Select(e => e.ToString()));
    }
}
