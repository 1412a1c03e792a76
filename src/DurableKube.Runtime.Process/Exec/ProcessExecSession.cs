using System.Runtime.Versioning;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Processes;

namespace DurableKube.Runtime.Process.Exec;

/// <summary>
/// A command run in a container by <see cref="ProcessContainerRuntime.ExecAsync"/>: a child of this process, leader of
/// its own session and process group (<c>setsid</c>), on pipes or, with a terminal, under util-linux <c>script</c>, which
/// gives it a pseudo-terminal. Disposing it kills the command and everything it started.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ProcessExecSession : IExecSession
{
    private readonly System.Diagnostics.Process _process;
    private readonly Action<ProcessExecSession> _ended;
    private readonly Task<int> _exited;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="ProcessExecSession"/> class.</summary>
    /// <param name="run">The run the command entered.</param>
    /// <param name="process">The started process (<c>setsid</c>, then <c>env</c> or <c>script</c>).</param>
    /// <param name="spec">What was asked.</param>
    /// <param name="ended">Called once when the session is disposed.</param>
    public ProcessExecSession(ContainerRunId run, System.Diagnostics.Process process, ExecSpec spec, Action<ProcessExecSession> ended)
    {
        Run = run;
        _process = process;
        _ended = ended;
        Tty = spec.Tty;
        Stdout = process.StandardOutput.BaseStream;
        Stderr = spec.Tty ? null : process.StandardError.BaseStream;
        if (spec.Stdin)
        {
            Stdin = process.StandardInput.BaseStream;
        }
        else if (!spec.Tty)
        {
            // No standard input: the command reads an end of file at once, as with /dev/null. (A terminal without
            // input keeps its pipe open: script would otherwise hang the terminal up.)
            process.StandardInput.Close();
        }

        _exited = WaitAsync();
    }

    /// <summary>Gets the run the command entered.</summary>
    public ContainerRunId Run { get; }

    /// <summary>Gets the process id of the session's leader (<c>script</c> with a terminal, else the command).</summary>
    public int Pid => _process.Id;

    /// <summary>Gets a value indicating whether the command runs on a pseudo-terminal.</summary>
    public bool Tty { get; }

    /// <inheritdoc />
    public Stream? Stdin { get; }

    /// <inheritdoc />
    public Stream Stdout { get; }

    /// <inheritdoc />
    public Stream? Stderr { get; }

    /// <inheritdoc />
    public Task<int> Exited => _exited;

    /// <inheritdoc />
    public async Task ResizeAsync(ushort width, ushort height, CancellationToken cancellationToken = default)
    {
        // A client resizes right after it starts: script may not have made the terminal yet, so look for it a while.
        for (var attempt = 0; Tty && attempt < 100 && !_process.HasExited; attempt++)
        {
            if (Terminal.Resize(_process.Id, width, height))
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Kills the command and everything it started (its session and process group), if it still runs.</summary>
    public void Kill()
    {
        // The command leads its own session; with a terminal, script's child leads the terminal's session.
        var leaders = new HashSet<int> { _process.Id };
        var processes = ProcFs.EnumerateAll().ToList();
        foreach (var process in processes)
        {
            if (process.ParentPid == _process.Id)
            {
                leaders.Add(process.Pid);
            }
        }

        Signals.SendToGroup(_process.Id, Signals.Kill);
        foreach (var process in processes)
        {
            if (process.IsAlive && (leaders.Contains(process.Session) || leaders.Contains(process.ProcessGroup)))
            {
                Signals.Send(process.Pid, Signals.Kill);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        await ((Task)_exited).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var stream in new[] { Stdin, Stdout, Stderr })
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }

        _process.Dispose();
        _ended(this);
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }
}
