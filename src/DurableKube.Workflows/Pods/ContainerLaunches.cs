using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Pods;

/// <summary>Makes the runtime's view of a pod: a sandbox spec and container launches from the pod spec.</summary>
internal static class ContainerLaunches
{
    /// <summary>Makes the launch of one run of a resolved container.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">The container's spec.</param>
    /// <param name="resolved">The container resolved (command, environment).</param>
    /// <param name="attempt">The run's attempt number.</param>
    /// <returns>The launch.</returns>
    public static ContainerLaunch For(V1Pod pod, V1Container container, ResolvedContainer resolved, int attempt)
    {
        var kind = (pod.Spec.InitContainers ?? []).Any(c => c.Name == container.Name)
            ? container.RestartPolicy == "Always" ? ContainerKind.Sidecar : ContainerKind.Init
            : (pod.Spec.EphemeralContainers ?? []).Any(c => c.Name == container.Name) ? ContainerKind.Ephemeral : ContainerKind.App;
        return new ContainerLaunch(
            new ContainerRunId(pod.Metadata.Uid, container.Name, attempt),
            pod.Metadata.NamespaceProperty,
            pod.Metadata.Name,
            container.Image ?? string.Empty,
            resolved.Command,
            resolved.Environment,
            resolved.WorkingDirectory)
        {
            EntrypointArgs = resolved.EntrypointArgs,
            Kind = kind,
            Resources = Resources(container.Resources),
            Ports = (container.Ports ?? []).Select(p => new ContainerPortSpec(p.ContainerPort, p.Protocol ?? "TCP", p.Name)).ToList(),
            Stdin = container.Stdin == true,
            ImagePullPolicy = PullPolicy(container),
            RunAsUser = container.SecurityContext?.RunAsUser ?? pod.Spec.SecurityContext?.RunAsUser,
            ReadOnlyRootFilesystem = container.SecurityContext?.ReadOnlyRootFilesystem == true,
            Privileged = container.SecurityContext?.Privileged == true,
            VolumeMounts = (container.VolumeMounts ?? []).Select(m => new VolumeMountSpec(m.Name, m.MountPath, m.ReadOnlyProperty == true)).ToList(),
        };
    }

    /// <summary>
    /// Resolves every container of a pod, init containers first, for a runtime that creates them with the sandbox.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">Its node.</param>
    /// <param name="attempt">The attempt number of the runs.</param>
    /// <param name="runsImages">Whether the runtime runs images' entrypoints.</param>
    /// <param name="launches">The launches, when every container resolves.</param>
    /// <param name="failed">The first container that does not, and why.</param>
    /// <returns>Whether every container resolves.</returns>
    public static bool TryResolveAll(
        V1Pod pod, string nodeName, int attempt, bool runsImages, out List<ContainerLaunch> launches, out (string Name, ContainerCreateError Error)? failed)
    {
        launches = [];
        failed = null;
        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []))
        {
            if (!ContainerResolver.TryResolve(pod, container, nodeName, null, out var resolved, out var error, runsImages))
            {
                failed = (container.Name, error!);
                return false;
            }

            launches.Add(For(pod, container, resolved!, attempt));
        }

        return true;
    }

    /// <summary>The pod's volumes a runtime provides: emptyDir today (Secrets and ConfigMaps come with their kinds).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The volumes.</returns>
    public static IReadOnlyList<SandboxVolume> Volumes(V1Pod pod) =>
        (pod.Spec.Volumes ?? []).Where(v => v.EmptyDir is not null).Select(v => new SandboxVolume(v.Name, SandboxVolumeKind.EmptyDir)).ToList();

    /// <summary>Every container's image and pull policy, init containers first, for the sandbox.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The images.</returns>
    public static IReadOnlyList<ContainerImage> Images(V1Pod pod) =>
        (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? [])
            .Select(c => new ContainerImage(c.Name, c.Image ?? string.Empty, PullPolicy(c)))
            .ToList();

    private static string PullPolicy(V1Container container) =>
        string.IsNullOrEmpty(container.ImagePullPolicy) ? PodDefaults.DefaultPullPolicy(container.Image) : container.ImagePullPolicy;

    private static ContainerResources Resources(V1ResourceRequirements? requirements)
    {
        if (requirements is null)
        {
            return ContainerResources.None;
        }

        static long? Millis(IDictionary<string, ResourceQuantity>? map) =>
            map is not null && map.TryGetValue("cpu", out var q) ? (long)decimal.Ceiling(q.ToDecimal() * 1000m) : null;
        static long? Bytes(IDictionary<string, ResourceQuantity>? map) =>
            map is not null && map.TryGetValue("memory", out var q) ? (long)decimal.Ceiling(q.ToDecimal()) : null;

        // A limit without a request requests the limit (the API's defaulting).
        return new ContainerResources(
            Millis(requirements.Requests) ?? Millis(requirements.Limits),
            Millis(requirements.Limits),
            Bytes(requirements.Requests) ?? Bytes(requirements.Limits),
            Bytes(requirements.Limits));
    }
}
