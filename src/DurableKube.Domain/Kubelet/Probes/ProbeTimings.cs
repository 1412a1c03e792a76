using k8s.Models;

namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>The timings and thresholds of one probe, with the API's defaults for what the spec leaves out.</summary>
/// <param name="InitialDelay">How long after the container started the first probe waits (<c>initialDelaySeconds</c>, default 0).</param>
/// <param name="Period">How often the probe runs (<c>periodSeconds</c>, default 10 s).</param>
/// <param name="Timeout">How long one probe may take (<c>timeoutSeconds</c>, default 1 s).</param>
/// <param name="SuccessThreshold">Consecutive successes that make the result Success (<c>successThreshold</c>, default 1).</param>
/// <param name="FailureThreshold">Consecutive failures that make the result Failure (<c>failureThreshold</c>, default 3).</param>
/// <param name="TerminationGracePeriod">The probe's own <c>terminationGracePeriodSeconds</c> (liveness and startup), which replaces the pod's when the probe kills the container.</param>
public sealed record ProbeTimings(
    TimeSpan InitialDelay,
    TimeSpan Period,
    TimeSpan Timeout,
    int SuccessThreshold,
    int FailureThreshold,
    TimeSpan? TerminationGracePeriod = null)
{
    /// <summary>Gets the timings of a probe with every field left to its default.</summary>
    public static ProbeTimings Defaults { get; } = new(TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 1, 3);

    /// <summary>Reads a probe's timings; a field that is unset or 0 takes the default, as <c>SetDefaults_Probe</c> gives it.</summary>
    /// <param name="probe">The probe.</param>
    /// <returns>The timings.</returns>
    public static ProbeTimings From(V1Probe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new ProbeTimings(
            TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0)),
            TimeSpan.FromSeconds(probe.PeriodSeconds is > 0 and var period ? period : 10),
            TimeSpan.FromSeconds(probe.TimeoutSeconds is > 0 and var timeout ? timeout : 1),
            probe.SuccessThreshold is > 0 and var success ? success : 1,
            probe.FailureThreshold is > 0 and var failure ? failure : 3,
            probe.TerminationGracePeriodSeconds is > 0 and var grace ? TimeSpan.FromSeconds(Math.Min(grace, int.MaxValue)) : null);
    }
}
