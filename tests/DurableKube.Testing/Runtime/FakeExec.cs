namespace DurableKube.Testing.Runtime;

/// <summary>What a command run in a fake container does: it writes its output and exits, after a delay if given.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">What it writes to standard output.</param>
/// <param name="Stderr">What it writes to standard error.</param>
/// <param name="Delay">How long it runs.</param>
public sealed record FakeExec(int ExitCode, string Stdout = "", string Stderr = "", TimeSpan Delay = default);
