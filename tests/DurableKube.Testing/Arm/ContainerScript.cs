namespace DurableKube.Testing.Arm;

/// <summary>
/// What a container of the <see cref="FakeArmServer"/> does: its i-th run (the group's i-th start: creation, then each
/// restart) is <see cref="Runs"/>[i] (the last one repeats), and every run writes <see cref="Log"/> when it starts.
/// </summary>
/// <param name="Runs">The runs, in order; an empty list runs forever.</param>
/// <param name="Log">The lines each run writes.</param>
/// <param name="PullFailure">Set to make the image fail to pull, with this message (the container then waits forever).</param>
public sealed record ContainerScript(IReadOnlyList<ContainerRunScript> Runs, IReadOnlyList<string> Log, string? PullFailure = null)
{
    /// <summary>Gets a container that runs until stopped and writes nothing.</summary>
    public static ContainerScript Forever { get; } = new([], []);

    /// <summary>A container whose every run ends after a while with a code.</summary>
    /// <param name="after">How long each run runs.</param>
    /// <param name="exitCode">Its exit code.</param>
    /// <param name="log">The lines each run writes.</param>
    /// <returns>The script.</returns>
    public static ContainerScript Exits(TimeSpan after, int exitCode, params string[] log) => new([new ContainerRunScript(after, exitCode)], log);

    /// <summary>A container whose image cannot be pulled.</summary>
    /// <param name="image">The image, for the message.</param>
    /// <returns>The script.</returns>
    public static ContainerScript FailsToPull(string image) =>
        new([], [], $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to resolve reference \"{image}\": not found");

    /// <summary>The run of the group's <paramref name="start"/>-th start.</summary>
    /// <param name="start">0 for the creation, then 1 per restart.</param>
    /// <returns>The run.</returns>
    public ContainerRunScript RunOf(int start) => Runs.Count == 0 ? ContainerRunScript.Forever : Runs[Math.Min(start, Runs.Count - 1)];
}
