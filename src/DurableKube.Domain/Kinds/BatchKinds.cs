using DurableKube.Domain.Printing;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>The kinds of the <c>batch</c> API group this server serves.</summary>
public static class BatchKinds
{
    /// <summary>Gets Jobs: a workflow each runs pods to completion (pkg/registry/batch/job).</summary>
    public static KindDescriptor Jobs { get; } = new(new JobStrategy())
    {
        Categories = ["all"],
        Printer = TablePrinter.For<V1Job>(JobPrinter.Columns, JobPrinter.Cells),
        Subresources = [Subresource.Status],
        Fields = obj => [("status.successful", (((V1Job)obj).Status?.Succeeded ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture))],
    };

    /// <summary>Gets CronJobs: a workflow each makes Jobs on a schedule (pkg/registry/batch/cronjob).</summary>
    public static KindDescriptor CronJobs { get; } = new(new CronJobStrategy())
    {
        Categories = ["all"],
        Printer = TablePrinter.For<V1CronJob>(CronJobPrinter.Columns, CronJobPrinter.Cells),
        Subresources = [Subresource.Status],
    };

    /// <summary>Gets every batch kind.</summary>
    public static IReadOnlyList<KindDescriptor> All { get; } = [Jobs, CronJobs];
}
