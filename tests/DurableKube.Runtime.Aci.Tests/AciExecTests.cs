using System.Text;
using DurableKube.Ports.Runtime;
using DurableKube.Testing.Arm;

namespace DurableKube.Runtime.Aci.Tests;

/// <summary>Exec on ACI nodes, through ARM's exec API and the session WebSocket it hands out (on the fake ARM server).</summary>
public sealed class AciExecTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_shell_runs_in_a_running_container_what_is_typed_reaches_it_and_its_end_ends_the_session()
    {
        await using var aci = await AciHarness.StartAsync();
        await aci.CreateReadyAsync(AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Forever)));
        var id = new ContainerRunId("p1", "app", 0);
        await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(id), run => run?.State == ContainerRunState.Running);

        await using var session = await aci.Runtime.ExecAsync(id, new ExecSpec(["sh"]) { Stdin = true, Tty = true });
        await session.Stdin!.WriteAsync(Encoding.UTF8.GetBytes("echo hi\r"));
        await session.Stdin.WriteAsync(Encoding.UTF8.GetBytes("exit\r"));
        var output = await new StreamReader(session.Stdout).ReadToEndAsync().WaitAsync(Patience);

        Assert.Equal(0, await session.Exited.WaitAsync(Patience));
        Assert.Null(session.Stderr);
        Assert.Equal("sh: ready\r\necho hi\r\nsh: echo hi\r\nexit\r\n", output);
        var asked = Assert.Single(aci.Server.ExecSessions);
        Assert.Equal(("app", "sh", 80, 24), (asked.Container, asked.Command, asked.Columns, asked.Rows));
        Assert.Equal(aci.Server.GroupNames.Single(), asked.Group);
    }

    [Fact]
    public async Task Arguments_become_one_command_line_and_the_session_ends_with_the_command()
    {
        await using var aci = await AciHarness.StartAsync();
        await aci.CreateReadyAsync(AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Forever)));
        var id = new ContainerRunId("p1", "app", 0);
        await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(id), run => run?.State == ContainerRunState.Running);

        await using var session = await aci.Runtime.ExecAsync(id, new ExecSpec(["ls", "-la", "/tmp"]));
        var output = await new StreamReader(session.Stdout).ReadToEndAsync().WaitAsync(Patience);

        Assert.Equal(0, await session.Exited.WaitAsync(Patience));
        Assert.Equal("ls -la /tmp: ran\r\n", output);
        Assert.Equal("ls -la /tmp", aci.Server.ExecSessions.Single().Command);
    }

    [Fact]
    public async Task Closing_stdin_sends_the_terminals_end_of_file()
    {
        await using var aci = await AciHarness.StartAsync();
        await aci.CreateReadyAsync(AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Forever)));
        var id = new ContainerRunId("p1", "app", 0);
        await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(id), run => run?.State == ContainerRunState.Running);

        await using var session = await aci.Runtime.ExecAsync(id, new ExecSpec(["/bin/sh"]) { Stdin = true });
        await session.Stdin!.DisposeAsync();
        var output = await new StreamReader(session.Stdout).ReadToEndAsync().WaitAsync(Patience);

        Assert.Equal(0, await session.Exited.WaitAsync(Patience));
        Assert.Equal("/bin/sh: ready\r\n", output);
        Assert.Equal("\u0004", aci.Server.ExecSessions.Single().Input.ToString());
    }

    [Fact]
    public async Task Disposing_the_session_ends_it_without_waiting_for_the_command()
    {
        await using var aci = await AciHarness.StartAsync();
        await aci.CreateReadyAsync(AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Forever)));
        var id = new ContainerRunId("p1", "app", 0);
        await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(id), run => run?.State == ContainerRunState.Running);

        var session = await aci.Runtime.ExecAsync(id, new ExecSpec(["sh"]));
        var buffer = new byte[64];
        Assert.True(await session.Stdout.ReadAsync(buffer).AsTask().WaitAsync(Patience) > 0);
        await session.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Null(session.Stdin);
        Assert.True(session.Exited.IsCompleted);
    }

    [Theory]
    [InlineData("sh", "-c", "echo a b")]
    [InlineData("printf", "")]
    [InlineData("echo", "it's")]
    public void An_argument_ACI_would_split_or_mangle_is_refused_saying_why(params string[] command)
    {
        var refused = Assert.Throws<ContainerRuntimeException>(() => AciContainerRuntime.CommandLine(command));

        Assert.False(refused.Transient);
        Assert.Contains("Azure Container Instances runs one command line split at spaces", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh", new[] { "sh" })]
    [InlineData("cat /etc/hostname", new[] { "cat", "/etc/hostname" })]
    public void A_command_and_plain_arguments_are_joined_with_spaces(string expected, string[] command) =>
        Assert.Equal(expected, AciContainerRuntime.CommandLine(command));

    [Fact]
    public async Task A_container_that_is_not_running_or_not_there_is_refused()
    {
        await using var aci = await AciHarness.StartAsync();
        await aci.CreateReadyAsync(AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Exits(TimeSpan.FromMilliseconds(100), 0))));
        var id = new ContainerRunId("p1", "app", 0);
        await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(id), run => run?.State == ContainerRunState.Exited);

        var exited = await Assert.ThrowsAsync<ContainerRuntimeException>(() => aci.Runtime.ExecAsync(id, new ExecSpec(["sh"])));
        var missing = await Assert.ThrowsAsync<ContainerRuntimeException>(() => aci.Runtime.ExecAsync(new ContainerRunId("nope", "app", 0), new ExecSpec(["sh"])));

        Assert.Equal("container app is not running", exited.Message);
        Assert.Equal("container app is not running", missing.Message);
        Assert.Empty(aci.Server.ExecSessions);
    }
}
