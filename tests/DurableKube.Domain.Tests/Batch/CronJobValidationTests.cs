using DurableKube.Domain.CronJobs;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Batch;

public class CronJobValidationTests
{
    private static V1CronJob CronJob(string schedule, string? timeZone = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "hello", NamespaceProperty = "default" },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            TimeZone = timeZone,
            JobTemplate = new V1JobTemplateSpec
            {
                Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "OnFailure", Containers = [new V1Container { Name = "c", Image = "busybox", Command = ["date"] }] } } },
            },
        },
    };

    [Theory]
    [InlineData("*/5 * * * *", null, null)]
    [InlineData("@hourly", "Europe/Paris", null)]
    [InlineData("* * * *", null, "spec.schedule: Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("TZ=UTC * * * * *", null, "spec.schedule: Invalid value: \"TZ=UTC * * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
    [InlineData("* * * * *", "Mars/Olympus", "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus")]
    [InlineData("* * * * *", "Local", "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")]
    [InlineData("* * * * *", "", "spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string")]
    public void The_schedule_and_time_zone_are_checked_as_Kubernetes_does(string schedule, string? timeZone, string? error)
    {
        var strategy = new CronJobStrategy();
        var cronJob = CronJob(schedule, timeZone);
        strategy.Default(cronJob);

        Assert.Equal(error, CronJobValidation.Validate(cronJob).Select(e => e.ToString()).SingleOrDefault());
    }

    [Fact]
    public void A_new_CronJob_gets_the_batch_defaults()
    {
        var cronJob = CronJob("* * * * *");

        new CronJobStrategy().Default(cronJob);

        Assert.Equal(("Allow", false, 3, 1), (cronJob.Spec.ConcurrencyPolicy, cronJob.Spec.Suspend!.Value, cronJob.Spec.SuccessfulJobsHistoryLimit!.Value, cronJob.Spec.FailedJobsHistoryLimit!.Value));
    }

    [Fact]
    public void The_row_shows_schedule_time_zone_suspend_active_and_last_schedule()
    {
        var cronJob = CronJob("*/5 * * * *");
        new CronJobStrategy().Default(cronJob);
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        cronJob.Metadata.CreationTimestamp = now.AddMinutes(-10).UtcDateTime;

        Assert.Equal(["hello", "*/5 * * * *", "<none>", "False", 0L, "<none>", "10m", "c", "busybox", "<none>"], CronJobPrinter.Cells(cronJob, now));
    }
}
