using System.Text;
using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests.Scenarios;

/// <summary>
/// Compares what kubectl printed with the output a scenario expects, as the Kubernetes documentation prints it. A line is
/// read as cells (kubectl's columns are separated by runs of spaces); an expected cell is literal text with placeholders
/// for what differs from run to run: <c>{age}</c> (kubectl's ages: <c>5s</c>, <c>2m3s</c>, <c><![CDATA[<invalid>]]></c>),
/// <c>{id}</c> (a generated name's suffix or hash), <c>{n}</c> (a number), <c>{ip}</c>, <c>{node}</c> (one word) and
/// <c>{*}</c> (anything). Pure, so its rules have table tests of their own.
/// </summary>
internal static partial class ScenarioOutput
{
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["{age}"] = @"(?:\d+[smhdy])+|<invalid>|<unknown>",
        ["{id}"] = "[a-z0-9]+",
        ["{n}"] = @"\d+",
        ["{ip}"] = @"\d{1,3}(?:\.\d{1,3}){3}",
        ["{node}"] = @"\S+",
        ["{*}"] = ".*",
    };

    /// <summary>Splits a line into its cells: runs of two or more spaces (or a tab) separate them; edges are trimmed.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<string> Cells(string line) =>
        CellSeparator().Split(line.Trim()).Where(c => c.Length > 0).ToList();

    /// <summary>Tells whether a printed line matches an expected one, cell by cell.</summary>
    /// <param name="expected">The expected line, with placeholders.</param>
    /// <param name="actual">The printed line.</param>
    /// <returns>Whether it matches.</returns>
    public static bool LineMatches(string expected, string actual)
    {
        var want = Cells(expected);
        var got = Cells(actual);
        return want.Count == got.Count && want.Zip(got).All(pair => CellPattern(pair.First).IsMatch(pair.Second));
    }

    /// <summary>
    /// Tells whether a printed table is the expected one: the header line first, then the same rows in any order (kubectl
    /// sorts by name, and generated names sort differently from run to run), nothing more and nothing less.
    /// </summary>
    /// <param name="expected">The expected lines.</param>
    /// <param name="actual">The printed lines.</param>
    /// <returns>Whether it matches.</returns>
    public static bool TableMatches(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        if (expected.Count == 0)
        {
            return true;
        }

        return LineMatches(expected[0], actual[0]) && Assign(expected.Skip(1).ToList(), actual.Skip(1).ToList(), new bool[actual.Count - 1], 0);
    }

    /// <summary>Tells whether every expected line appears among the printed ones, in the same order (others may come between).</summary>
    /// <param name="expected">The expected lines.</param>
    /// <param name="actual">The printed lines.</param>
    /// <returns>Whether it matches.</returns>
    public static bool ContainsInOrder(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var at = 0;
        foreach (var line in expected)
        {
            while (at < actual.Count && !LineMatches(line, actual[at]))
            {
                at++;
            }

            if (at == actual.Count)
            {
                return false;
            }

            at++;
        }

        return true;
    }

    /// <summary>The non-empty lines of a text, without trailing spaces.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The lines.</returns>
    public static IReadOnlyList<string> Lines(string text) =>
        text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    /// <summary>Collapses runs of the same value, as a sequence of STATUS values is read from a watch.</summary>
    /// <param name="values">The values in the order seen.</param>
    /// <returns>The values with repeats in a row removed.</returns>
    public static IReadOnlyList<string> Distinct(IEnumerable<string> values)
    {
        var result = new List<string>();
        foreach (var value in values)
        {
            if (result.Count == 0 || result[^1] != value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    private static bool Assign(List<string> expected, List<string> actual, bool[] used, int index)
    {
        if (index == expected.Count)
        {
            return true;
        }

        for (var i = 0; i < actual.Count; i++)
        {
            if (!used[i] && LineMatches(expected[index], actual[i]))
            {
                used[i] = true;
                if (Assign(expected, actual, used, index + 1))
                {
                    return true;
                }

                used[i] = false;
            }
        }

        return false;
    }

    private static Regex CellPattern(string cell)
    {
        var pattern = new StringBuilder("^");
        var last = 0;
        foreach (Match placeholder in PlaceholderPattern().Matches(cell))
        {
            pattern.Append(Regex.Escape(cell[last..placeholder.Index]));
            pattern.Append(Placeholders.TryGetValue(placeholder.Value, out var p) ? "(?:" + p + ")" : Regex.Escape(placeholder.Value));
            last = placeholder.Index + placeholder.Length;
        }

        pattern.Append(Regex.Escape(cell[last..])).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"\t+| {2,}")]
    private static partial Regex CellSeparator();

    [GeneratedRegex(@"\{[a-z*]+\}")]
    private static partial Regex PlaceholderPattern();
}
