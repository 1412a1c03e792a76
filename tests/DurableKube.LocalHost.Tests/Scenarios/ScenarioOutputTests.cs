namespace DurableKube.LocalHost.Tests.Scenarios;

/// <summary>The rules by which the scenario suite compares kubectl's output with the documentation's.</summary>
public sealed class ScenarioOutputTests
{
    [Theory]
    [InlineData("NAME       DESIRED   CURRENT   READY   AGE", "NAME       DESIRED   CURRENT   READY   AGE", true)]
    [InlineData("frontend   3         3         3       {age}", "frontend   3   3   3   6s", true)]
    [InlineData("frontend   3         3         3       {age}", "frontend   3   3   3   2m13s", true)]
    [InlineData("frontend   3         3         3       {age}", "frontend   3   3   2   6s", false)]
    [InlineData("frontend   3         3         3       {age}", "frontend   3   3   3", false)]
    [InlineData("frontend-{id}   1/1     Running   0          {age}", "frontend-b2zdv   1/1   Running   0   6m36s", true)]
    [InlineData("frontend-{id}   1/1     Running   0          {age}", "frontend-b2zdv   0/1   Running   0   6m36s", false)]
    [InlineData("Replicas:     3 current / 3 desired", "Replicas:  3 current / 3 desired", true)]
    [InlineData("Normal  SuccessfulCreate  {age}  replicaset-controller  Created pod: frontend-{id}", "  Normal  SuccessfulCreate  13s   replicaset-controller  Created pod: frontend-gbgfx", true)]
    [InlineData("a.b {*}", "a.b anything at all", true)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("{n} (ago)", "3 (ago)", true)]
    public void A_line_matches_cell_by_cell(string expected, string actual, bool matches) =>
        Assert.Equal(matches, ScenarioOutput.LineMatches(expected, actual));

    [Fact]
    public void A_table_has_its_header_first_and_its_rows_in_any_order()
    {
        string[] expected = ["NAME   STATUS", "pod1   Terminating", "web-{id}   Running", "web-{id}   Running"];

        Assert.True(ScenarioOutput.TableMatches(expected, ["NAME   STATUS", "web-a   Running", "pod1   Terminating", "web-b   Running"]));
        Assert.False(ScenarioOutput.TableMatches(expected, ["NAME   STATUS", "web-a   Running", "web-b   Running", "web-c   Running"]));
        Assert.False(ScenarioOutput.TableMatches(expected, ["pod1   Terminating", "NAME   STATUS", "web-a   Running", "web-b   Running"]));
        Assert.False(ScenarioOutput.TableMatches(expected, ["NAME   STATUS", "web-a   Running", "pod1   Terminating"]));
    }

    [Fact]
    public void Lines_are_looked_for_in_order()
    {
        string[] printed = ["Name:  frontend", "Namespace:  x", "Replicas:  3 current / 3 desired", "Events:  <none>"];

        Assert.True(ScenarioOutput.ContainsInOrder(["Name:  frontend", "Replicas:  3 current / 3 desired"], printed));
        Assert.False(ScenarioOutput.ContainsInOrder(["Replicas:  3 current / 3 desired", "Name:  frontend"], printed));
        Assert.False(ScenarioOutput.ContainsInOrder(["Pods Status:  3 Running"], printed));
    }

    [Fact]
    public void A_watch_counts_repeats_in_a_row_once() =>
        Assert.Equal(["Pending", "ContainerCreating", "Running", "Completed"], ScenarioOutput.Distinct(["Pending", "Pending", "ContainerCreating", "Running", "Running", "Completed"]));

    [Theory]
    [InlineData("get pods -w", new[] { "get", "pods", "-w" })]
    [InlineData("get pods -o jsonpath='{.items[*].metadata.name}'", new[] { "get", "pods", "-o", "jsonpath={.items[*].metadata.name}" })]
    [InlineData("label pod x \"a=b c\"", new[] { "label", "pod", "x", "a=b c" })]
    public void A_command_splits_as_a_shell_splits_it(string command, string[] words) =>
        Assert.Equal(words, ScenarioTests.Split(command));
}
