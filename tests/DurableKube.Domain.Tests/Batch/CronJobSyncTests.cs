using DurableKube.Domain.CronJobs;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Tests.Batch;

public class CronJobSyncTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 27, 12, 0, 10, TimeSpan.Zero);

    private static V1CronJob CronJob(string schedule = "* * * * *", string policy = "Allow", long? startingDeadline = null, DateTimeOffset? lastSchedule = null, string[]? active = null, bool suspend = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "hello", NamespaceProperty = "default", Uid = "cj-uid", CreationTimestamp = KubeTime.Truncate(Created) },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            ConcurrencyPolicy = policy,
            StartingDeadlineSeconds = startingDeadline,
            Suspend = suspend,
            SuccessfulJobsHistoryLimit = 3,
            FailedJobsHistoryLimit = 1,
            JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec() } } },
        },
        Status = new V1CronJobStatus
        {
            LastScheduleTime = lastSchedule is { } l ? KubeTime.Truncate(l) : null,
            Active = active?.Select(n => new V1ObjectReference { Name = n, Uid = n + "-uid" }).ToList(),
        },
    };

    private static V1Job Job(string name, string? condition = null, int startMinute = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Uid = name + "-uid", NamespaceProperty = "default" },
        Status = new V1JobStatus
        {
            StartTime = KubeTime.Truncate(Created.AddMinutes(startMinute)),
            CompletionTime = condition == "Complete" ? KubeTime.Truncate(Created.AddMinutes(startMinute + 1)) : null,
            Conditions = condition is null ? null : [new V1JobCondition { Type = condition, Status = "True" }],
        },
    };

    [Theory]
    [InlineData(30, false, "2026-11-27T12:01:00.1Z")]
    [InlineData(50, true, "2026-11-27T12:02:00.1Z")]
    [InlineData(110, true, "2026-11-27T12:03:00.1Z")]
    public void A_due_schedule_makes_its_Job_and_wakes_just_after_the_next_one(int secondsAfterCreation, bool creates, string requeue)
    {
        var now = Created.AddSeconds(secondsAfterCreation);

        var plan = CronJobSync.Plan(CronJob(), [], now);

        Assert.Equal(creates, plan.Create is not null);
        Assert.Equal(DateTimeOffset.Parse(requeue, System.Globalization.CultureInfo.InvariantCulture), plan.RequeueAt);
        if (creates)
        {
            Assert.Equal(CronJobSync.JobName("hello", plan.ScheduledTime!.Value), plan.Create!.Metadata.Name);
            Assert.Equal("2026-11-27T12:0" + (secondsAfterCreation > 60 ? "2" : "1") + ":00Z", plan.Create.Metadata.Annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]);
            Assert.Equal("cj-uid", plan.Create.Metadata.OwnerReferences.Single().Uid);
        }
    }

    [Fact]
    public void The_Job_name_is_the_scheduled_time_in_minutes_since_the_epoch() =>
        Assert.Equal("hello-29403360", CronJobSync.JobName("hello", new DateTimeOffset(2025, 11, 27, 0, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("Allow", 1, 0)]
    [InlineData("Forbid", 0, 0)]
    [InlineData("Replace", 1, 1)]
    public void The_concurrency_policy_decides_what_a_running_Job_does_to_the_next(string policy, int creates, int deletes)
    {
        var cronJob = CronJob(policy: policy, lastSchedule: Created.AddSeconds(50), active: ["hello-1"]);

        var plan = CronJobSync.Plan(cronJob, [Job("hello-1")], Created.AddSeconds(115));

        Assert.Equal((creates, deletes), (plan.Create is null ? 0 : 1, plan.DeleteJobs.Count));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(60L, true)]
    [InlineData(10L, false)]
    public void A_start_later_than_startingDeadlineSeconds_is_missed(long? startingDeadline, bool creates)
    {
        var plan = CronJobSync.Plan(CronJob(startingDeadline: startingDeadline), [], Created.AddSeconds(75));

        Assert.Equal(creates, plan.Create is not null);
    }

    [Fact]
    public void More_than_100_missed_start_times_are_reported_and_only_the_latest_runs()
    {
        var plan = CronJobSync.Plan(CronJob(), [], Created.AddHours(3));

        Assert.Contains(plan.Events, e => e.Reason == "TooManyMissedTimes" && e.Message.StartsWith("too many missed start times: 180.", StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero), plan.ScheduledTime);
    }

    [Fact]
    public void A_scheduled_time_already_recorded_makes_no_second_Job()
    {
        var scheduled = new DateTimeOffset(2026, 11, 27, 12, 1, 0, TimeSpan.Zero);

        var plan = CronJobSync.Plan(CronJob(lastSchedule: scheduled), [], scheduled.AddSeconds(5));

        Assert.Null(plan.Create);
    }

    [Fact]
    public void A_suspended_CronJob_makes_no_Job_and_sets_no_timer()
    {
        var plan = CronJobSync.Plan(CronJob(suspend: true), [], Created.AddMinutes(5));

        Assert.Equal((null, null), (plan.Create, plan.RequeueAt));
    }

    [Fact]
    public void Finished_Jobs_leave_the_active_list_record_the_last_success_and_beyond_the_limits_are_deleted()
    {
        var jobs = new[]
        {
            Job("ok-1", "Complete", 0), Job("ok-2", "Complete", 1), Job("ok-3", "Complete", 2), Job("ok-4", "Complete", 3),
            Job("bad-1", "Failed", 0), Job("bad-2", "Failed", 1),
        };
        var cronJob = CronJob(active: ["ok-4"], suspend: true);

        var plan = CronJobSync.Plan(cronJob, jobs, Created.AddMinutes(10));

        Assert.Null(plan.Status.Active);
        Assert.Equal(KubeTime.Truncate(Created.AddMinutes(4)), plan.Status.LastSuccessfulTime);
        Assert.Equal(["ok-1", "bad-1"], plan.DeleteJobs.Select(j => j.Metadata.Name));
    }
}
