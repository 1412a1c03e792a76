using System.Globalization;
using System.Text;
using k8s.Models;

namespace DurableKube.Domain.Jobs;

/// <summary>
/// The completion indexes of an Indexed Job (pkg/controller/job/indexed_job_utils.go): which index a pod holds,
/// and the compressed interval list of <c>status.completedIndexes</c>, e.g. <c>1,3-5,7</c>.
/// </summary>
public static class CompletionIndexes
{
    /// <summary>The index a pod of an Indexed Job holds, from its annotation; <see langword="null"/> if it holds none within the completions.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="completions">The Job's completions.</param>
    /// <returns>The index.</returns>
    public static int? Of(V1Pod pod, int completions)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata?.Annotations?.TryGetValue(JobLabels.CompletionIndex, out var text) == true
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && index < completions
            ? index
            : null;
    }

    /// <summary>Reads a list of intervals as <c>status.completedIndexes</c> holds them, keeping the indexes below <paramref name="completions"/>.</summary>
    /// <param name="text">The list, e.g. <c>1,3-5</c>; <see langword="null"/> or empty for none.</param>
    /// <param name="completions">The Job's completions.</param>
    /// <returns>The indexes.</returns>
    public static SortedSet<int> Parse(string? text, int completions)
    {
        var indexes = new SortedSet<int>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', 2);
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                continue;
            }

            var last = first;
            if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                continue;
            }

            for (var i = first; i <= last && i < completions; i++)
            {
                indexes.Add(i);
            }
        }

        return indexes;
    }

    /// <summary>Writes indexes as a compressed list of intervals (<c>orderedIntervals.String</c>).</summary>
    /// <param name="indexes">The indexes.</param>
    /// <returns>The list, e.g. <c>1,3-5</c>; empty for none.</returns>
    public static string Format(IEnumerable<int> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var text = new StringBuilder();
        int? first = null;
        var last = 0;
        foreach (var index in indexes.Distinct().Order())
        {
            if (first is not null && index == last + 1)
            {
                last = index;
                continue;
            }

            Append(text, first, last);
            first = last = index;
        }

        Append(text, first, last);
        return text.ToString();
    }

    private static void Append(StringBuilder text, int? first, int last)
    {
        if (first is not { } start)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(start.ToString(CultureInfo.InvariantCulture));
        if (last > start)
        {
            text.Append('-').Append(last.ToString(CultureInfo.InvariantCulture));
        }
    }
}
