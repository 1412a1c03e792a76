using System.Globalization;
using System.Text;

namespace DurableKube.Bench;

/// <summary>Lays out the bench's table: one row per measurement, columns aligned.</summary>
internal static class BenchTable
{
    /// <summary>The header and rows, left-aligned first column, right-aligned others, two spaces apart.</summary>
    /// <param name="header">The column names.</param>
    /// <param name="rows">The rows, each as many cells as the header.</param>
    /// <returns>The table's lines joined by line breaks.</returns>
    public static string Format(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Count).Select(c => all.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var cells = Enumerable.Range(0, header.Count).Select(c =>
            {
                var cell = c < row.Count ? row[c] : string.Empty;
                return c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]);
            });
            text.AppendLine(string.Join("  ", cells).TrimEnd());
        }

        return text.ToString().TrimEnd('\n', '\r');
    }

    /// <summary>A number for a cell, invariant, with <paramref name="decimals"/> decimals; "-" for NaN.</summary>
    /// <param name="value">The number.</param>
    /// <param name="decimals">How many decimals.</param>
    /// <returns>The cell.</returns>
    public static string Cell(double value, int decimals = 0) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";
}
