using DurableKube.Ports.Runtime;
using Xunit;

namespace DurableKube.Testing.Runtime;

/// <summary>
/// What every <see cref="IContainerRuntime"/> promises, whatever its <see cref="SandboxScope"/>, as tests. A concrete
/// class per runtime (processes; ACI over the fake ARM server) supplies a fresh runtime and launches of containers that
/// write some lines, run for a while and exit with a code.
/// </summary>
public abstract class ContainerRuntimeContractTests : IAsyncLifetime
{
    /// <summary>How long a test waits for something that should happen; reaching it fails the test (a hang guard, not a speed check).</summary>
    protected static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Brief = TimeSpan.FromMilliseconds(300);

    /// <summary>Gets the runtime under test.</summary>
    protected IContainerRuntime Runtime { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Runtime = await CreateRuntimeAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => DisposeRuntimeAsync();

    /// <summary>Creates a runtime with nothing in it.</summary>
    /// <returns>The runtime.</returns>
    protected abstract Task<IContainerRuntime> CreateRuntimeAsync();

    /// <summary>Releases what <see cref="CreateRuntimeAsync"/> made, ending every run.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    protected abstract Task DisposeRuntimeAsync();

    /// <summary>A launch of a container that writes <paramref name="log"/>, then runs for <paramref name="runFor"/> (or until stopped) and exits with <paramref name="exitCode"/>.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="container">The container's name.</param>
    /// <param name="attempt">The run's attempt number.</param>
    /// <param name="runFor">How long it runs; <see langword="null"/> for until stopped.</param>
    /// <param name="exitCode">Its exit code.</param>
    /// <param name="log">The lines it writes first.</param>
    /// <returns>The launch.</returns>
    protected abstract ContainerLaunch Launch(string podUid, string container, int attempt, TimeSpan? runFor, int exitCode, params string[] log);

    [Fact]
    public async Task Creating_a_sandbox_twice_makes_one_sandbox_that_becomes_ready()
    {
        var app = Launch("c1", "app", 0, null, 0);

        await Runtime.CreateSandboxAsync(Spec("c1", app));
        await StartPodAsync("c1", app);

        var runs = (await Runtime.ListContainersAsync()).Where(run => run.Id.PodUid == "c1").ToList();
        Assert.Equal([app.Id], runs.Select(run => run.Id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task A_run_that_exits_reports_its_exit_code(int code)
    {
        var app = Launch("c1", "app", 0, Brief, code);
        await StartPodAsync("c1", app);

        var exited = await WaitForExitAsync(app.Id);

        Assert.Equal(code, exited.ExitCode);
        Assert.NotNull(exited.FinishedAt);
        Assert.True(exited.FinishedAt >= exited.StartedAt);
        Assert.Contains(await Runtime.ListContainersAsync(), run => run.Id == app.Id && run.State == ContainerRunState.Exited && run.ExitCode == code);
    }

    [Fact]
    public async Task Starting_a_started_run_again_returns_that_run()
    {
        var app = Launch("c1", "app", 0, null, 0);
        var first = (await StartPodAsync("c1", app)).Single();

        var again = await Runtime.StartContainerAsync(app);

        Assert.Equal((first.Id, ContainerRunState.Running), (again.Id, again.State));
        Assert.Equal(first.StartedAt, again.StartedAt);
    }

    [Fact]
    public async Task The_log_holds_the_lines_in_order_and_a_tail_the_last_ones()
    {
        var app = Launch("c1", "app", 0, Brief, 0, "one", "two", "three");
        await StartPodAsync("c1", app);
        await WaitForExitAsync(app.Id);

        var all = await ReadLogAsync(app.Id, new LogReadOptions());
        var tail = await ReadLogAsync(app.Id, new LogReadOptions(TailLines: 2));

        Assert.Equal(["one", "two", "three"], all.Select(line => line.Content));
        Assert.Equal(["two", "three"], tail.Select(line => line.Content));
        Assert.All(all, line => Assert.True(line.Complete));
    }

    [Fact]
    public async Task A_followed_log_ends_when_the_run_exits()
    {
        var app = Launch("c1", "app", 0, TimeSpan.FromSeconds(1), 0, "hello");
        await StartPodAsync("c1", app);

        var lines = await ReadLogAsync(app.Id, new LogReadOptions(Follow: true));

        Assert.Equal(["hello"], lines.Select(line => line.Content));
        Assert.Equal(ContainerRunState.Exited, (await Runtime.GetContainerAsync(app.Id))!.State);
    }

    [Fact]
    public async Task An_acknowledged_exit_is_listed_as_acknowledged()
    {
        var app = Launch("c1", "app", 0, Brief, 1);
        await StartPodAsync("c1", app);
        await WaitForExitAsync(app.Id);

        await Runtime.AcknowledgeExitAsync(app.Id);

        Assert.True((await Runtime.ListContainersAsync()).Single(run => run.Id == app.Id).Acknowledged);
        Assert.True((await Runtime.GetContainerAsync(app.Id))!.Acknowledged);
    }

    [Fact]
    public async Task Stopping_a_running_run_ends_it_with_a_failure_code()
    {
        var app = Launch("c1", "app", 0, null, 0);
        await StartPodAsync("c1", app);

        await Runtime.StopContainerAsync(app.Id, StopMode.Graceful);
        var exited = await WaitForExitAsync(app.Id);
        await Runtime.StopContainerAsync(app.Id, StopMode.Kill);

        Assert.NotEqual(0, exited.ExitCode);
    }

    [Fact]
    public async Task Removing_a_sandbox_twice_leaves_nothing_of_the_pod()
    {
        var app = Launch("c1", "app", 0, null, 0);
        await StartPodAsync("c1", app);

        await Runtime.RemoveSandboxAsync("c1");
        await Runtime.RemoveSandboxAsync("c1");

        Assert.Null(await Runtime.GetContainerAsync(app.Id));
        Assert.DoesNotContain(await Runtime.ListContainersAsync(), run => run.Id.PodUid == "c1");
    }

    [Fact]
    public async Task A_restart_numbers_the_new_run_with_its_attempt()
    {
        var first = Launch("c1", "app", 0, Brief, 1);
        await StartPodAsync("c1", first);
        await WaitForExitAsync(first.Id);
        var second = first with { Id = first.Id with { Attempt = 1 } };

        if (Runtime.Scope == SandboxScope.Pod)
        {
            await Runtime.RestartSandboxAsync("c1", 1);
        }
        else
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Runtime.RestartSandboxAsync("c1", 1));
        }

        var run = await StartAsync(second);
        var exited = await WaitForExitAsync(second.Id);

        Assert.Equal(second.Id, run.Id);
        Assert.Equal(1, exited.ExitCode);
    }

    [Fact]
    public async Task The_node_has_cpu_memory_and_pods_capacity_and_a_runtime_version()
    {
        var node = await Runtime.DescribeNodeAsync();

        Assert.All(["cpu", "memory", "pods"], key => Assert.True(node.Capacity.ContainsKey(key), key));
        Assert.StartsWith(Runtime.Name + "://", node.ContainerRuntimeVersion, StringComparison.Ordinal);
    }

    /// <summary>
    /// Gets the command that runs a POSIX shell script inside one of this runtime's containers, or <see langword="null"/>
    /// for a runtime that serves no exec (it must then answer <see cref="NotSupportedException"/>).
    /// </summary>
    /// <param name="script">The script.</param>
    /// <returns>The command, or <see langword="null"/>.</returns>
    protected virtual IReadOnlyList<string>? ShellCommand(string script) => null;

    /// <summary>
    /// Gets a value indicating whether the runtime's exec runs every command on a terminal that carries both streams and
    /// reports no exit code (ACI): the contract then holds it to starting a session in a running container, ending it
    /// with the command, and refusing a container that has exited; its own tests check what it prints.
    /// </summary>
    protected virtual bool ExecOnTerminalOnly => false;

    [Fact]
    public async Task Exec_runs_a_command_in_a_running_container_with_its_streams_and_exit_code()
    {
        var app = Launch("c1", "app", 0, null, 0);
        await StartPodAsync("c1", app);
        if (ShellCommand("true") is null)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Runtime.ExecAsync(app.Id, new ExecSpec(["true"])));
            return;
        }

        if (ExecOnTerminalOnly)
        {
            await using var terminal = await Runtime.ExecAsync(app.Id, new ExecSpec(ShellCommand("true")!));
            Assert.Null(terminal.Stderr);
            Assert.Equal(0, (await CollectAsync(terminal)).ExitCode);
            return;
        }

        await using var session = await Runtime.ExecAsync(app.Id, new ExecSpec(ShellCommand("echo out; echo err >&2; exit 3")!));
        var (stdout, stderr, code) = await CollectAsync(session);

        Assert.Equal(("out\n", "err\n", 3), (stdout, stderr, code));
    }

    [Fact]
    public async Task Exec_passes_standard_input_until_it_is_closed()
    {
        var app = Launch("c1", "app", 0, null, 0);
        await StartPodAsync("c1", app);
        if (ShellCommand("cat") is not { } cat)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Runtime.ExecAsync(app.Id, new ExecSpec(["cat"]) { Stdin = true }));
            return;
        }

        await using var session = await Runtime.ExecAsync(app.Id, new ExecSpec(cat) { Stdin = true });
        await session.Stdin!.WriteAsync("hello\nworld\n"u8.ToArray());
        await session.Stdin.DisposeAsync();
        var (stdout, _, code) = await CollectAsync(session);

        if (ExecOnTerminalOnly)
        {
            Assert.Equal(0, code);
            return;
        }

        Assert.Equal(("hello\nworld\n", 0), (stdout, code));
    }

    [Fact]
    public async Task Exec_in_a_container_that_has_exited_fails_with_a_runtime_error()
    {
        var app = Launch("c1", "app", 0, Brief, 0);
        await StartPodAsync("c1", app);
        await WaitForExitAsync(app.Id);
        if (ShellCommand("true") is not { } command)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Runtime.ExecAsync(app.Id, new ExecSpec(["true"])));
            return;
        }

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => Runtime.ExecAsync(app.Id, new ExecSpec(command)));

        Assert.Contains("not running", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Reads an exec's output to its end and waits for its exit code.</summary>
    /// <param name="session">The session.</param>
    /// <returns>Standard output, standard error and the exit code.</returns>
    protected static async Task<(string Stdout, string Stderr, int ExitCode)> CollectAsync(IExecSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var timeout = new CancellationTokenSource(WaitLimit);
        var stdout = ReadAllAsync(session.Stdout, timeout.Token);
        var stderr = session.Stderr is null ? Task.FromResult(string.Empty) : ReadAllAsync(session.Stderr, timeout.Token);
        var code = await session.Exited.WaitAsync(timeout.Token);
        return (await stdout, await stderr, code);
    }

    private static async Task<string> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>The sandbox of a pod: with its containers for a pod-scoped runtime, without for a container-scoped one.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="containers">Its containers.</param>
    /// <returns>The sandbox.</returns>
    protected SandboxSpec Spec(string podUid, params ContainerLaunch[] containers) =>
        new(podUid, "default", $"pod-{podUid}", "node-1") { RestartPolicy = "Never", Containers = Runtime.Scope == SandboxScope.Pod ? containers : [] };

    /// <summary>Does what the kubelet does: creates the sandbox until it is ready, then starts each container.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="containers">Its containers.</param>
    /// <returns>The runs.</returns>
    protected async Task<IReadOnlyList<ContainerRunStatus>> StartPodAsync(string podUid, params ContainerLaunch[] containers)
    {
        var spec = Spec(podUid, containers);
        await EventuallyAsync(async () => (await Runtime.CreateSandboxAsync(spec)).State == SandboxState.Ready);
        var runs = new List<ContainerRunStatus>();
        foreach (var container in containers)
        {
            runs.Add(await StartAsync(container));
        }

        return runs;
    }

    private async Task<ContainerRunStatus> StartAsync(ContainerLaunch launch)
    {
        ContainerRunStatus? run = null;
        await EventuallyAsync(async () =>
        {
            try
            {
                run = await Runtime.StartContainerAsync(launch);
                return true;
            }
            catch (ContainerRuntimeException e) when (e.Transient)
            {
                return false;
            }
        });
        return run!;
    }

    private async Task<ContainerRunStatus> WaitForExitAsync(ContainerRunId id)
    {
        ContainerRunStatus? run = null;
        await EventuallyAsync(async () => (run = await Runtime.GetContainerAsync(id)) is { State: ContainerRunState.Exited });
        return run!;
    }

    private async Task<List<LogLine>> ReadLogAsync(ContainerRunId id, LogReadOptions options)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        var lines = new List<LogLine>();
        await foreach (var line in Runtime.ReadLogAsync(id, options, timeout.Token))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not become true within {WaitLimit}.");
            }

            await Task.Delay(50);
        }
    }
}
