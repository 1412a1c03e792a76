namespace DurableKube.LocalHost.Tests;

/// <summary>What a command run by a test did.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">What it wrote to stdout.</param>
/// <param name="StandardError">What it wrote to stderr.</param>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Gets stdout and stderr together, for failure messages.</summary>
    public string Output => StandardOutput + StandardError;
}
