using System.Text;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Exec;

namespace DurableKube.Runtime.Process.Tests;

/// <summary>Containers with <c>tty: true</c>: run on a pseudo-terminal that <c>kubectl attach</c> gets.</summary>
public sealed class TerminalTests
{
    [Fact]
    public async Task The_terminal_echoes_input_turns_enter_into_a_newline_and_the_exit_code_is_the_containers()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "read line; printf 'got [%s]\\n' \"$line\"; exit 3") with { Stdin = true, Tty = true };
        await runtime.StartContainerAsync(launch);

        await using var session = await runtime.AttachAsync(launch.Id, stdin: true);
        await WriteAsync(session, "abc\r");
        var output = await ReadUntilAsync(session.Stdout, "got [abc]\r\n");
        var code = await session.Exited.WaitAsync(TestRoot.Patience);

        // The echo of what was typed, then the command's line: a terminal writes "\r\n" for "\n" (onlcr) and gives the
        // reader "\n" for the "\r" Enter sends (icrnl); without a terminal, read would still be waiting.
        Assert.Equal("abc\r\ngot [abc]\r\n", output);
        Assert.Equal(3, code);
        Assert.Null(session.Stderr);
    }

    [Fact]
    public async Task The_container_runs_on_the_terminal_with_TERM_and_its_log_is_what_the_terminal_showed()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch(
            "p1", "app", 0, "sh", "-c", "[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo \"on a terminal, TERM=$TERM\"; echo oops >&2; exit 0") with { Tty = true };
        await runtime.StartContainerAsync(launch);

        var status = await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var log = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal(0, status.ExitCode);
        Assert.Equal(["on a terminal, TERM=xterm\r", "oops\r"], log.Select(line => line.Content));
        Assert.All(log, line => Assert.Equal("stdout", line.Stream));
    }

    [Fact]
    public async Task A_resize_is_what_stty_size_shows_inside()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "while read line; do stty size; done") with { Stdin = true, Tty = true };
        await runtime.StartContainerAsync(launch);

        await using var session = await runtime.AttachAsync(launch.Id, stdin: true);
        await session.ResizeAsync(132, 43);
        await WriteAsync(session, "\r");
        Assert.EndsWith("43 132\r\n", await ReadUntilAsync(session.Stdout, "43 132\r\n"));

        await session.ResizeAsync(80, 24);
        await WriteAsync(session, "\r");
        Assert.EndsWith("24 80\r\n", await ReadUntilAsync(session.Stdout, "24 80\r\n"));
    }

    [Fact]
    public async Task A_terminal_without_stdin_stays_open_and_an_attach_cannot_write_to_it()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");

        // In Kubernetes nobody writes to such a terminal: its input never ends, so read waits.
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "read line; echo ended") with { Tty = true };
        await runtime.StartContainerAsync(launch);
        await using var session = await runtime.AttachAsync(launch.Id, stdin: true);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Null(session.Stdin);
        Assert.Equal(ContainerRunState.Running, (await runtime.GetContainerAsync(launch.Id))!.State);
    }

    [Fact]
    public async Task Stopping_a_container_on_a_terminal_signals_the_container_itself()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "trap 'echo bye; exit 9' TERM; while :; do sleep 0.1; done") with { Stdin = true, Tty = true };
        await runtime.StartContainerAsync(launch);
        var pid = root.ContainerPid(launch.Id);

        await runtime.StopContainerAsync(launch.Id, StopMode.Graceful);
        var status = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal(9, status.ExitCode);
        Assert.Contains("bye\r", (await TestRoot.ReadLogAsync(runtime, launch.Id)).Select(line => line.Content));
        Assert.Empty(TestRoot.GroupMembers(pid));
    }

    [Fact]
    public async Task A_re_adopted_container_on_a_terminal_can_be_attached_to_and_resized()
    {
        await using var root = new TestRoot();
        var first = root.CreateRuntime();
        await TestRoot.CreatePodAsync(first, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "while read line; do echo \"[$line] $(stty size)\"; done") with { Stdin = true, Tty = true };
        await first.StartContainerAsync(launch);
        await first.DisposeAsync();

        var second = root.CreateRuntime();
        await using var session = await second.AttachAsync(launch.Id, stdin: true);
        await session.ResizeAsync(100, 30);
        await WriteAsync(session, "x\r");

        Assert.EndsWith("[x] 30 100\r\n", await ReadUntilAsync(session.Stdout, "[x] 30 100\r\n"));
        await second.StopContainerAsync(launch.Id, StopMode.Kill);
        Assert.Equal(137, (await TestRoot.WaitForExitAsync(second, launch.Id)).ExitCode);
    }

    [Theory]
    [InlineData(0x8800, "/dev/pts/0")]
    [InlineData(0x8807, "/dev/pts/7")]
    [InlineData(0x8901, "/dev/pts/257")]
    [InlineData(0x0401, null)]
    [InlineData(0, null)]
    public void A_controlling_terminal_number_names_its_pseudo_terminal(int number, string? device) =>
        Assert.Equal(device, Terminal.PseudoTerminal(number));

    private static async Task WriteAsync(IExecSession session, string text)
    {
        await session.Stdin!.WriteAsync(Encoding.UTF8.GetBytes(text));
        await session.Stdin.FlushAsync();
    }

    private static async Task<string> ReadUntilAsync(Stream stream, string expected)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TestRoot.Patience);
        while (!text.ToString().EndsWith(expected, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
