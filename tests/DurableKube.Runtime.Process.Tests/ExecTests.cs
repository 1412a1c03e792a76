using System.Globalization;
using System.Text;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Tests;

/// <summary>kubectl exec on the process runtime: the command runs as the container does, and ends with it.</summary>
public sealed class ExecTests
{
    [Fact]
    public async Task The_command_gets_the_containers_environment_and_working_directory()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var workingDirectory = Path.Combine(root.Path, "work dir");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300") with
        {
            Environment = [new("SECRET_TOKEN", "s3cr=t value"), new("POD_IP", "127.1.0.7")],
            WorkingDirectory = workingDirectory,
        };
        await runtime.StartContainerAsync(launch);

        await using var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sh", "-c", "echo \"$SECRET_TOKEN|$POD_IP|$HOSTNAME|$(pwd)\"; env | sort"]));
        var (stdout, stderr, code) = await CollectAsync(session);

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((0, string.Empty), (code, stderr));
        Assert.Equal($"s3cr=t value|127.1.0.7|pod-p1|{workingDirectory}", lines[0]);
        Assert.DoesNotContain(lines, line => line.StartsWith("HOME=", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("HOME") is not null);
    }

    [Fact]
    public async Task A_missing_command_fails_to_start_with_the_runtimes_words()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.ExecAsync(launch.Id, new ExecSpec(["no-such-command"])));

        Assert.Equal("OCI runtime exec failed: exec failed: unable to start container process: exec: \"no-such-command\": executable file not found in $PATH: unknown", error.Message);
    }

    [Fact]
    public async Task An_unknown_run_is_not_running()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();

        await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.ExecAsync(new ContainerRunId("p1", "app", 0), new ExecSpec(["true"])));
    }

    [Fact]
    public async Task A_terminal_merges_stderr_and_reports_the_exit_code()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);

        await using var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sh", "-c", "tty; echo err >&2; exit 4"]) { Tty = true });
        var (stdout, _, code) = await CollectAsync(session);

        Assert.Null(session.Stderr);
        Assert.Equal(4, code);
        Assert.Matches(@"^/dev/pts/\d+\r\nerr\r\n$", stdout);
    }

    [Fact]
    public async Task A_terminal_echoes_input_and_takes_a_new_size()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);

        await using var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sh", "-c", "read line; echo \"got $line\"; stty size"]) { Tty = true, Stdin = true });
        await session.ResizeAsync(132, 43);
        await session.Stdin!.WriteAsync("hi\r"u8.ToArray());
        await session.Stdin.FlushAsync();
        var (stdout, _, code) = await CollectAsync(session);

        Assert.Equal(0, code);
        Assert.Equal("hi\r\ngot hi\r\n43 132\r\n", stdout);
    }

    [Fact]
    public async Task Disposing_the_session_kills_the_command_and_what_it_started()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);

        var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sh", "-c", "sleep 300 & echo $!; wait"]));
        var child = int.Parse(await ReadLineAsync(session.Stdout), CultureInfo.InvariantCulture);
        Assert.True(TestRoot.IsAlive(child));

        await session.DisposeAsync();

        await TestRoot.EventuallyAsync(() => !TestRoot.IsAlive(child));
        Assert.NotEqual(0, await session.Exited);
        Assert.Equal(ContainerRunState.Running, (await runtime.GetContainerAsync(launch.Id))!.State);
    }

    [Fact]
    public async Task A_command_ends_when_its_container_stops()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);
        await using var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sleep", "300"]) { Tty = true });

        await runtime.StopContainerAsync(launch.Id, StopMode.Kill);

        Assert.NotEqual(0, await session.Exited.WaitAsync(TestRoot.Patience));
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

    internal static async Task<(string Stdout, string Stderr, int ExitCode)> CollectAsync(IExecSession session)
    {
        using var timeout = new CancellationTokenSource(TestRoot.Patience);
        var stdout = new StreamReader(session.Stdout).ReadToEndAsync(timeout.Token);
        var stderr = session.Stderr is null ? Task.FromResult(string.Empty) : new StreamReader(session.Stderr).ReadToEndAsync(timeout.Token);
        var code = await session.Exited.WaitAsync(timeout.Token);
        return (await stdout, await stderr, code);
    }
}
