using System.Text;
using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests.Scenarios;

/// <summary>
/// The kubectl scenario suite (issue 10, item 8): each scenario of <c>tests/scenarios/</c> runs the commands of a page of
/// the Kubernetes documentation against the local host and compares what kubectl prints (columns, STATUS values,
/// messages, exit codes) with what the page shows.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed partial class ScenarioTests(LocalHostFixture host)
{
    private static readonly TimeSpan WatchPatience = TimeSpan.FromMinutes(3);

    /// <summary>Gets the scenarios' names.</summary>
    public static TheoryData<string> Names => [.. Scenario.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Kubectl_prints_what_the_kubernetes_documentation_shows(string name)
    {
        var scenario = Scenario.Load(name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Source), $"{name}: a scenario says where its expected output comes from");
        var ns = E2E.UniqueNamespace("sc-" + name);
        await host.KubectlOkAsync("create", "namespace", ns);
        var files = Directory.CreateDirectory(Path.Combine(host.Scratch, ns)).FullName;
        foreach (var (file, text) in scenario.Files)
        {
            await File.WriteAllTextAsync(Path.Combine(files, file), text);
        }

        var number = 0;
        foreach (var step in scenario.Steps)
        {
            number++;
            var where = $"{name}, step {number}";
            if (step.Watch is not null)
            {
                await WatchAsync(step, ns, files, where);
            }
            else
            {
                await RunAsync(step, ns, files, where);
            }
        }
    }

    private async Task RunAsync(ScenarioStep step, string ns, string files, string where)
    {
        Assert.NotNull(step.Kubectl);
        var arguments = Arguments(step.Kubectl, ns, files);
        var expect = step.Expect is null ? null : ScenarioOutput.Lines(step.Expect.Replace("{ns}", ns, StringComparison.Ordinal));
        var contains = step.Contains is null ? null : ScenarioOutput.Lines(step.Contains.Replace("{ns}", ns, StringComparison.Ordinal));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(step.Within);
        while (true)
        {
            var result = await host.KubectlAsync(arguments);
            var printed = ScenarioOutput.Lines(result.Output);
            var matches = result.ExitCode == step.Exit
                && (expect is null || ScenarioOutput.TableMatches(expect, printed))
                && (contains is null || ScenarioOutput.ContainsInOrder(contains, printed));
            if (matches)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var message = new StringBuilder()
                    .AppendLine($"{where}: kubectl {step.Kubectl} exited {result.ExitCode} (expected {step.Exit}) and printed:")
                    .AppendLine(result.Output)
                    .AppendLine(expect is null ? "expected it to contain, in order:" : "expected:")
                    .AppendJoin('\n', expect ?? contains ?? []);
                Assert.Fail(message.ToString());
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private async Task WatchAsync(ScenarioStep step, string ns, string files, string where)
    {
        Assert.NotNull(step.While);
        Assert.NotNull(step.Until);
        Assert.NotNull(step.Statuses);
        // -v=6 makes kubectl log its requests: the watch is running once its watch request has been answered (a watch of
        // nothing prints nothing else).
        using var watch = new KubectlProcess(host.Kubeconfig, [.. Arguments(step.Watch!, ns, files), "-v=6"]);
        await watch.WaitForAsync(text => KlogLine().Matches(text).Any(m => m.Value.Contains("watch=true", StringComparison.Ordinal)), WatchPatience, "its watch request");
        await host.KubectlOkAsync(Arguments(step.While, ns, files));
        var output = await watch.WaitForAsync(text => StatusValues(text).Contains(step.Until), WatchPatience, $"STATUS {step.Until}");

        var seen = ScenarioOutput.Distinct(StatusValues(output));
        Assert.True(seen.SequenceEqual(step.Statuses), $"{where}: kubectl {step.Watch} showed STATUS {string.Join(", ", seen)}; the documentation's sequence is {string.Join(", ", step.Statuses)}:\n{output}");
    }

    /// <summary>The STATUS column of every row a watch printed (rows come without their header after the first).</summary>
    private static List<string> StatusValues(string text)
    {
        var values = new List<string>();
        int? column = null;
        foreach (var line in ScenarioOutput.Lines(text).Where(l => !KlogLine().IsMatch(l)))
        {
            var cells = ScenarioOutput.Cells(line);
            if (cells.Count > 0 && cells[0] == "NAME")
            {
                column = cells.ToList().IndexOf("STATUS");
                continue;
            }

            if (column is { } at && at >= 0 && cells.Count > at)
            {
                values.Add(cells[at]);
            }
        }

        return values;
    }

    private static string[] Arguments(string command, string ns, string files) =>
        [.. Split(command.Replace("{ns}", ns, StringComparison.Ordinal)).Select(a => File.Exists(Path.Combine(files, a)) ? Path.Combine(files, a) : a), "--namespace", ns];

    /// <summary>Splits a command line into words as a shell would for plain words and single or double quotes.</summary>
    internal static IReadOnlyList<string> Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>A line of kubectl's own log (klog: <c>I1203 10:00:00.000000 ...</c>), not of its output.</summary>
    [GeneratedRegex(@"^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+ .*$", RegexOptions.Multiline)]
    private static partial Regex KlogLine();
}
