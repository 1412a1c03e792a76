namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>What one run of a probe's handler found.</summary>
/// <param name="Result">Success or Failure (a redirect to another host is a success with a warning, as the kubelet's).</param>
/// <param name="Output">The handler's output: the failure's message, an exec probe's output, the warning.</param>
/// <param name="Errored">
/// Whether the probe itself could not run (a named port the container does not declare, an exec the runtime refused):
/// the kubelet throws such a result away, and so does the worker.
/// </param>
/// <param name="Warning">Whether the success came with a warning (a redirect the prober did not follow).</param>
public sealed record ProbeObservation(ProbeResult Result, string Output = "", bool Errored = false, bool Warning = false)
{
    /// <summary>A success.</summary>
    /// <param name="output">The handler's output.</param>
    /// <returns>The observation.</returns>
    public static ProbeObservation Success(string output = "") => new(ProbeResult.Success, output);

    /// <summary>A failure.</summary>
    /// <param name="output">Why, in the kubelet's words.</param>
    /// <returns>The observation.</returns>
    public static ProbeObservation Failure(string output) => new(ProbeResult.Failure, output);

    /// <summary>A probe that could not run.</summary>
    /// <param name="message">Why.</param>
    /// <returns>The observation.</returns>
    public static ProbeObservation Error(string message) => new(ProbeResult.Failure, message, Errored: true);
}
