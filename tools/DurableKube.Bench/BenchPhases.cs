namespace DurableKube.Bench;

/// <summary>
/// The scenarios a run can be limited to (<c>--phases</c>), each with what goes with it: <c>floor</c> (the floor, first
/// and, after a burst, again), <c>replicaset</c> (scale to N, API latency with N pods stored, scale to 0), <c>burst</c>
/// (N pods by 16 clients, then <c>kubectl delete pods --all</c>), <c>completion</c> (N run-to-completion pods, their
/// deletion, storage per pod lifecycle) and <c>aci</c> (ARM's requests with the ACI pods).
/// </summary>
internal static class BenchPhases
{
    /// <summary>The floor.</summary>
    public const string Floor = "floor";

    /// <summary>The ReplicaSet, and the API latency with its pods stored.</summary>
    public const string ReplicaSet = "replicaset";

    /// <summary>The burst, and its deletion.</summary>
    public const string Burst = "burst";

    /// <summary>Run to completion, and its deletion.</summary>
    public const string Completion = "completion";

    /// <summary>ARM's requests with the ACI pods.</summary>
    public const string Aci = "aci";

    /// <summary>Every phase, in the order a run takes them.</summary>
    public static readonly IReadOnlyList<string> All = [Floor, ReplicaSet, Burst, Completion, Aci];

    /// <summary>Reads <c>--phases</c>: names separated by commas; none given means all.</summary>
    /// <param name="text">The option's value, or null.</param>
    /// <returns>The phases to run.</returns>
    /// <exception cref="ArgumentException">A name is not a phase, or none is given.</exception>
    public static IReadOnlySet<string> Parse(string? text)
    {
        if (text is null)
        {
            return All.ToHashSet(StringComparer.Ordinal);
        }

        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.FirstOrDefault(name => !All.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            throw new ArgumentException($"--phases: '{unknown}' is not a phase (they are {string.Join(", ", All)})", nameof(text));
        }

        return names.Length > 0
            ? names.ToHashSet(StringComparer.Ordinal)
            : throw new ArgumentException($"--phases names none (they are {string.Join(", ", All)})", nameof(text));
    }
}
