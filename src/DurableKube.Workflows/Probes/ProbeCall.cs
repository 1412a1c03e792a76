using DurableKube.Ports.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Probes;

/// <summary>One run of a probe's handler against one run of a container.</summary>
/// <param name="Probe">The probe.</param>
/// <param name="Container">The container (its named ports).</param>
/// <param name="PodIP">The pod's IP (<c>status.podIP</c>): the host of httpGet, tcpSocket and grpc probes that name none.</param>
/// <param name="Run">The run, entered by exec probes.</param>
/// <param name="Runtime">The node's runtime, which runs exec probes.</param>
public sealed record ProbeCall(V1Probe Probe, V1Container Container, string? PodIP, ContainerRunId Run, IContainerRuntime Runtime);
