namespace DurableKube.Ports.Runtime;

/// <summary>A command to run inside a running container: what <c>kubectl exec</c> and an exec probe ask for.</summary>
/// <param name="Command">The command and its arguments, run as given (no shell unless the command is one).</param>
public sealed record ExecSpec(IReadOnlyList<string> Command)
{
    /// <summary>Gets a value indicating whether the caller writes to the command's standard input.</summary>
    public bool Stdin { get; init; }

    /// <summary>Gets a value indicating whether the command runs on a terminal (standard error then goes to standard output).</summary>
    public bool Tty { get; init; }
}
