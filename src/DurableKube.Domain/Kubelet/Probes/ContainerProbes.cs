using k8s.Models;

namespace DurableKube.Domain.Kubelet.Probes;

/// <summary>Which probes a container has, as much of them as the kubelet's decisions need (the prober reads the rest from the spec).</summary>
/// <param name="Liveness">Whether it has a liveness probe.</param>
/// <param name="Readiness">Whether it has a readiness probe: without one, a started container is ready.</param>
/// <param name="Startup">Whether it has a startup probe: without one, a running container is started.</param>
/// <param name="LivenessGrace">The liveness probe's <c>terminationGracePeriodSeconds</c>, if set.</param>
/// <param name="StartupGrace">The startup probe's <c>terminationGracePeriodSeconds</c>, if set.</param>
public sealed record ContainerProbes(bool Liveness, bool Readiness, bool Startup, TimeSpan? LivenessGrace = null, TimeSpan? StartupGrace = null)
{
    /// <summary>Reads a container's probes.</summary>
    /// <param name="container">The container.</param>
    /// <returns>Its probes, or <see langword="null"/> if it has none.</returns>
    public static ContainerProbes? Of(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.LivenessProbe is null && container.ReadinessProbe is null && container.StartupProbe is null)
        {
            return null;
        }

        return new ContainerProbes(
            container.LivenessProbe is not null,
            container.ReadinessProbe is not null,
            container.StartupProbe is not null,
            container.LivenessProbe is { } liveness ? ProbeTimings.From(liveness).TerminationGracePeriod : null,
            container.StartupProbe is { } startup ? ProbeTimings.From(startup).TerminationGracePeriod : null);
    }

    /// <summary>Gets the grace period a kill by a probe gives the run: the probe's own, else the pod's.</summary>
    /// <param name="kind">The probe that failed.</param>
    /// <param name="podGrace">The pod's <c>terminationGracePeriodSeconds</c>.</param>
    /// <returns>The grace period.</returns>
    public TimeSpan GraceFor(ProbeKind kind, TimeSpan podGrace) =>
        (kind == ProbeKind.Startup ? StartupGrace : kind == ProbeKind.Liveness ? LivenessGrace : null) ?? podGrace;
}
