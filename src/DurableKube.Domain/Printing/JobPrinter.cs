using System.Globalization;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get jobs</c> shows (printers.go, <c>printJob</c>).</summary>
public static class JobPrinter
{
    /// <summary>Gets the Table columns for Jobs.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Status", "string", string.Empty, 0, "Status of the job."),
        new("Completions", "string", string.Empty, 0, "The completion status of the job."),
        new("Duration", "string", string.Empty, 0, "Time required to complete the job."),
        TablePrinter.AgeColumn,
        TemplateCells.ContainersColumn,
        TemplateCells.ImagesColumn,
        TemplateCells.SelectorColumn with { Description = "A label query over pods that should match the pod count. Normally, the system sets this field for you." },
    ];

    /// <summary>Computes the row of a Job.</summary>
    /// <param name="job">The Job.</param>
    /// <param name="now">The present, for DURATION and AGE.</param>
    /// <returns>The cells, wide ones included.</returns>
    public static IReadOnlyList<object> Cells(V1Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (names, images) = TemplateCells.Containers(job.Spec?.Template);
        return
        [
            job.Metadata?.Name ?? string.Empty,
            Status(job),
            Completions(job),
            Duration(job, now),
            HumanDuration.Since(job.Metadata?.CreationTimestamp, now),
            names,
            images,
            TemplateCells.Selector(job.Spec?.Selector),
        ];
    }

    /// <summary>The STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running, in that order of precedence.</summary>
    /// <param name="job">The Job.</param>
    /// <returns>The cell.</returns>
    public static string Status(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        bool Has(string type) => job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
        return Has("Complete") ? "Complete"
            : Has("Failed") ? "Failed"
            : job.Metadata?.DeletionTimestamp is not null ? "Terminating"
            : Has("Suspended") ? "Suspended"
            : Has("FailureTarget") ? "FailureTarget"
            : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet"
            : "Running";
    }

    private static string Completions(V1Job job)
    {
        var succeeded = job.Status?.Succeeded ?? 0;
        if (job.Spec?.Completions is { } completions)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{succeeded}/{completions}");
        }

        var parallelism = job.Spec?.Parallelism ?? 0;
        return parallelism > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1 of {parallelism}")
            : string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1");
    }

    private static string Duration(V1Job job, DateTimeOffset now)
    {
        if (job.Status?.StartTime is not { } start)
        {
            return string.Empty;
        }

        return job.Status.CompletionTime is { } end
            ? HumanDuration.Format(KubeTime.ToInstant(end) - KubeTime.ToInstant(start))
            : HumanDuration.Since(start, now);
    }
}
