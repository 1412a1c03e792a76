namespace DurableKube.Testing.Runtime;

/// <summary>What a run of the <see cref="FakeContainerRuntime"/> does.</summary>
/// <param name="ExitAfter">Exit on its own after this long, if set.</param>
/// <param name="ExitCode">The code it exits with then.</param>
/// <param name="FailsToStart">Whether its command cannot be started (StartError, exit code 128).</param>
/// <param name="IgnoresSigterm">Whether SIGTERM leaves it running (only SIGKILL ends it).</param>
/// <param name="Log">The lines its log holds.</param>
public sealed record FakeBehavior(TimeSpan? ExitAfter = null, int ExitCode = 0, bool FailsToStart = false, bool IgnoresSigterm = false, IReadOnlyList<string>? Log = null)
{
    /// <summary>Gets a run that goes on until stopped and exits 143 on SIGTERM.</summary>
    public static FakeBehavior RunUntilStopped { get; } = new();

    /// <summary>Gets the lines its log holds.</summary>
    public IReadOnlyList<string> Log { get; init; } = Log ?? [];

    /// <summary>A run that exits on its own.</summary>
    /// <param name="after">After how long.</param>
    /// <param name="exitCode">With which code.</param>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior Exits(TimeSpan after, int exitCode) => new(after, exitCode);
}
