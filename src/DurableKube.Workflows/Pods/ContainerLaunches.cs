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
            Tty = container.Tty == true,
            ImagePullPolicy = PullPolicy(container),
            RunAsUser = container.SecurityContext?.RunAsUser ?? pod.Spec.SecurityContext?.RunAsUser,
            ReadOnlyRootFilesystem = container.SecurityContext?.ReadOnlyRootFilesystem == true,
            Privileged = container.SecurityContext?.Privileged == true,
            VolumeMounts = (container.VolumeMounts ?? []).Select(m => Mount(pod, m, resolved)).ToList(),
            SecretEnvironment = resolved.SecretEnvironment,
        };
    }

    /// <summary>
    /// A container's mount as the runtime takes it: volumes of files are read-only whatever the spec says, and
    /// <c>subPathExpr</c> is expanded with the container's environment (the kubelet's <c>expandSubpathExpr</c>).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="mount">The mount in the spec.</param>
    /// <param name="resolved">The container resolved, for its environment.</param>
    /// <returns>The mount.</returns>
    public static VolumeMountSpec Mount(V1Pod pod, V1VolumeMount mount, ResolvedContainer resolved)
    {
        var environment = resolved.Environment.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var subPath = !string.IsNullOrEmpty(mount.SubPathExpr)
            ? VariableExpansion.Expand(mount.SubPathExpr, name => environment.GetValueOrDefault(name))
            : mount.SubPath ?? string.Empty;
        return new VolumeMountSpec(mount.Name, mount.MountPath, mount.ReadOnlyProperty == true || PodVolumes.IsFiles(pod, mount.Name)) { SubPath = subPath };
    }

    /// <summary>
    /// Resolves every container of a pod, init containers first, for a runtime that creates them with the sandbox.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">Its node.</param>
    /// <param name="attempt">The attempt number of the runs.</param>
    /// <param name="runsImages">Whether the runtime runs images' entrypoints.</param>
    /// <param name="config">The ConfigMaps and Secrets the containers' env and envFrom name.</param>
    /// <param name="launches">The launches, when every container resolves.</param>
    /// <param name="failed">The first container that does not, and why.</param>
    /// <returns>Whether every container resolves.</returns>
    public static bool TryResolveAll(
        V1Pod pod, string nodeName, int attempt, bool runsImages, ConfigSources config, out List<ContainerLaunch> launches, out (string Name, ContainerCreateError Error)? failed)
    {
        launches = [];
        failed = null;
        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []))
        {
            if (!ContainerResolver.TryResolve(pod, container, nodeName, null, out var resolved, out var error, runsImages, config: config))
            {
                failed = (container.Name, error!);
                return false;
            }

            launches.Add(For(pod, container, resolved!, attempt));
        }

        return true;
    }

    /// <summary>
    /// The registry credentials of a pod's <c>imagePullSecrets</c>, from the <c>.dockerconfigjson</c> or <c>.dockercfg</c> of
    /// each Secret found (<c>auths</c> entries with a username and password, or an <c>auth</c> of <c>user:password</c> in base64).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="config">The Secrets read.</param>
    /// <param name="missing">The pull secrets not found (the kubelet goes on without them).</param>
    /// <returns>The credentials.</returns>
    public static IReadOnlyList<ImagePullCredential> PullCredentials(V1Pod pod, ConfigSources config, out IReadOnlyList<string> missing)
    {
        var credentials = new List<ImagePullCredential>();
        var notFound = new List<string>();
        foreach (var reference in pod.Spec.ImagePullSecrets ?? [])
        {
            if (string.IsNullOrEmpty(reference.Name))
            {
                continue;
            }

            if (!config.Secrets.TryGetValue(reference.Name, out var secret))
            {
                notFound.Add(reference.Name);
                continue;
            }

            credentials.AddRange(DockerConfig.Credentials(secret));
        }

        missing = notFound;
        return credentials;
    }

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
