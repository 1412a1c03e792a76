using System.Text;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Tests;

/// <summary>kubectl attach on the process runtime: the container's output from now on, and its stdin FIFO.</summary>
public sealed class AttachTests
{
    [Fact]
    public async Task Attach_follows_what_the_container_writes_from_now_on_until_it_exits()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var work = Path.Combine(root.Path, "work");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "echo before; while [ ! -e go ]; do sleep 0.05; done; echo after; echo oops >&2; exit 2")
            with { WorkingDirectory = work };
        await runtime.StartContainerAsync(launch);
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, launch.Id)).Count > 0);

        await using var session = await runtime.AttachAsync(launch.Id, stdin: false);
        await File.WriteAllTextAsync(Path.Combine(work, "go"), string.Empty);
        var (stdout, stderr, code) = await CollectAsync(session);

        Assert.Equal(("after\n", "oops\n", 2), (stdout, stderr, code));
        Assert.Null(session.Stdin);
    }

    [Fact]
    public async Task A_container_with_stdin_reads_what_an_attach_writes_and_outlives_the_attach()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "while read line; do echo \"got $line\"; done; echo eof") with { Stdin = true };
        await runtime.StartContainerAsync(launch);

        await using (var first = await runtime.AttachAsync(launch.Id, stdin: true))
        {
            await first.Stdin!.WriteAsync("one\n"u8.ToArray());
            await first.Stdin.FlushAsync();
            Assert.Equal("got one", await ReadLineAsync(first.Stdout));
        }

        await using var second = await runtime.AttachAsync(launch.Id, stdin: true);
        await second.Stdin!.WriteAsync("two\n"u8.ToArray());
        await second.Stdin.FlushAsync();

        Assert.Equal("got two", await ReadLineAsync(second.Stdout));
        Assert.Equal(ContainerRunState.Running, (await runtime.GetContainerAsync(launch.Id))!.State);
    }

    [Fact]
    public async Task A_re_adopted_container_with_stdin_can_still_be_written_to()
    {
        await using var root = new TestRoot();
        var first = root.CreateRuntime();
        await TestRoot.CreatePodAsync(first, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "while read line; do echo \"got $line\"; done") with { Stdin = true };
        await first.StartContainerAsync(launch);
        await first.DisposeAsync();

        var second = root.CreateRuntime();
        await using var session = await second.AttachAsync(launch.Id, stdin: true);
        await session.Stdin!.WriteAsync("again\n"u8.ToArray());
        await session.Stdin.FlushAsync();

        Assert.Equal("got again", await ReadLineAsync(session.Stdout));
    }

    [Fact]
    public async Task Attaching_to_a_run_that_has_exited_fails()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "true");
        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.AttachAsync(launch.Id, stdin: false));

        Assert.Contains("not running", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(TestRoot.Patience);
        while (await stream.ReadAsync(buffer, timeout.Token) == 1 && buffer[0] != '\n')
        {
            line.Append((char)buffer[0]);
        }

        return line.ToString();
    }

    private static async Task<(string Stdout, string Stderr, int ExitCode)> CollectAsync(IExecSession session)
    {
        using var timeout = new CancellationTokenSource(TestRoot.Patience);
        var stdout = new StreamReader(session.Stdout, leaveOpen: true).ReadToEndAsync(timeout.Token);
        var stderr = new StreamReader(session.Stderr!, leaveOpen: true).ReadToEndAsync(timeout.Token);
        var code = await session.Exited.WaitAsync(timeout.Token);
        return (await stdout, await stderr, code);
    }
}
