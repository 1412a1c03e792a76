using System.Text;
using DurableKube.Ports.Runtime;

namespace DurableKube.Testing.Runtime;

/// <summary>A fake command's session: its output is ready at once, and it exits after its delay.</summary>
internal sealed class FakeExecSession : IExecSession
{
    private readonly CancellationTokenSource _disposed = new();

    public FakeExecSession(FakeExec exec)
    {
        Stdout = new MemoryStream(Encoding.UTF8.GetBytes(exec.Stdout), writable: false);
        Stderr = new MemoryStream(Encoding.UTF8.GetBytes(exec.Stderr), writable: false);
        Exited = RunAsync(exec);
    }

    public Stream? Stdin => null;

    public Stream Stdout { get; }

    public Stream? Stderr { get; }

    public Task<int> Exited { get; }

    public Task ResizeAsync(ushort width, ushort height, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _disposed.Dispose();
    }

    private async Task<int> RunAsync(FakeExec exec)
    {
        if (exec.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(exec.Delay, _disposed.Token);
            }
            catch (OperationCanceledException)
            {
                return 137;
            }
        }

        return exec.ExitCode;
    }
}
