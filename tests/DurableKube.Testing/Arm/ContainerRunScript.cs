namespace DurableKube.Testing.Arm;

/// <summary>One run of a scripted container: run for a while (or forever), then exit with a code.</summary>
/// <param name="RunFor">How long it runs; <see langword="null"/> for until stopped.</param>
/// <param name="ExitCode">The code it exits with.</param>
public sealed record ContainerRunScript(TimeSpan? RunFor, int ExitCode)
{
    /// <summary>Gets a run that goes on until the group is stopped, restarted or deleted.</summary>
    public static ContainerRunScript Forever { get; } = new(null, 0);
}
