using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get cronjobs</c> shows (printers.go, <c>printCronJob</c>).</summary>
public static class CronJobPrinter
{
    /// <summary>Gets the Table columns for CronJobs.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Schedule", "string", string.Empty, 0, "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        new("Timezone", "string", string.Empty, 0, "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
        new("Suspend", "boolean", string.Empty, 0, "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
        new("Active", "integer", string.Empty, 0, "A list of pointers to currently running jobs."),
        new("Last Schedule", "string", string.Empty, 0, "Information when was the last time the job was successfully scheduled."),
        TablePrinter.AgeColumn,
        TemplateCells.ContainersColumn,
        TemplateCells.ImagesColumn,
        TemplateCells.SelectorColumn with { Description = "A label query over pods that should match the pod count. Normally, the system sets this field for you." },
    ];

    /// <summary>Computes the row of a CronJob.</summary>
    /// <param name="cronJob">The CronJob.</param>
    /// <param name="now">The present, for LAST SCHEDULE and AGE.</param>
    /// <returns>The cells, wide ones included.</returns>
    public static IReadOnlyList<object> Cells(V1CronJob cronJob, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        var (names, images) = TemplateCells.Containers(cronJob.Spec?.JobTemplate?.Spec?.Template);
        return
        [
            cronJob.Metadata?.Name ?? string.Empty,
            cronJob.Spec?.Schedule ?? string.Empty,
            cronJob.Spec?.TimeZone ?? "<none>",
            cronJob.Spec?.Suspend is { } suspend ? (suspend ? "True" : "False") : "<unset>",
            (long)(cronJob.Status?.Active?.Count ?? 0),
            cronJob.Status?.LastScheduleTime is { } last ? HumanDuration.Since(last, now) : "<none>",
            HumanDuration.Since(cronJob.Metadata?.CreationTimestamp, now),
            names,
            images,
            TemplateCells.Selector(cronJob.Spec?.JobTemplate?.Spec?.Selector),
        ];
    }
}
