namespace DurableKube.Infra.Tests;

/// <summary>What one run of the Bicep CLI did: its exit code, its output and its diagnostics.</summary>
/// <param name="Arguments">The command line after the executable, for messages.</param>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="StandardOutput">Everything written to standard output.</param>
/// <param name="StandardError">Everything written to standard error (where Bicep writes diagnostics).</param>
public sealed record BicepRun(string Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Gets the diagnostic lines ("file(line,col) : Warning|Error|Info code: message").</summary>
    public IReadOnlyList<string> Diagnostics { get; } = StandardError
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal)
            || line.Contains(" : Error ", StringComparison.Ordinal)
            || line.Contains(" : Info ", StringComparison.Ordinal))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>Gets a description of the run for assertion messages.</summary>
    public string Describe() =>
        $"bicep {Arguments} exited with {ExitCode}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
