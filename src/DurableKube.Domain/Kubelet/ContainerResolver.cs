using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// Turns a container spec into the process to run, as the kubelet does before it asks the runtime:
/// builds the environment (<c>env</c> in order, each value expanding the variables defined before it;
/// the downward API's <c>fieldRef</c> and <c>resourceFieldRef</c>), then expands <c>command</c> and <c>args</c>.
/// </summary>
/// <remarks>
/// A runtime that does not run images (the process runtime) needs a <c>command</c>. ConfigMaps and Secrets come from
/// a <see cref="ConfigSources"/> lookup the caller read; one that is missing (or a key missing from it), unless
/// <c>optional</c>, fails as in Kubernetes: CreateContainerConfigError with the kubelet's message.
/// </remarks>
public static class ContainerResolver
{
    /// <summary>Resolves a container.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">One of its containers.</param>
    /// <param name="nodeName">The node the pod is bound to.</param>
    /// <param name="sandbox">The sandbox's addresses, if created.</param>
    /// <param name="resolved">The process, when it can be made.</param>
    /// <param name="error">Why not, when it cannot.</param>
    /// <param name="runsImages">
    /// Whether the runtime runs the image's own entrypoint when the spec gives no command (Docker, ACI); when it
    /// does not, a container without a command cannot be created.
    /// </param>
    /// <param name="nodeAllocatable">
    /// The node's allocatable resources: a <c>resourceFieldRef</c> to a limit the container does not set takes the
    /// node's allocatable amount, as the kubelet does; without them such a reference cannot be resolved.
    /// </param>
    /// <param name="serviceEnvironment">
    /// The Services' variables (<see cref="Services.ServiceEnvironment"/>): <c>env</c> may refer to them, and each one
    /// <c>env</c> does not define is added, as the kubelet does.
    /// </param>
    /// <param name="config">The ConfigMaps and Secrets of the pod's namespace its env and envFrom name; none when absent.</param>
    /// <returns>Whether the container can be started.</returns>
    public static bool TryResolve(
        V1Pod pod,
        V1Container container,
        string? nodeName,
        SandboxAddresses? sandbox,
        out ResolvedContainer? resolved,
        out ContainerCreateError? error,
        bool runsImages = false,
        IDictionary<string, ResourceQuantity>? nodeAllocatable = null,
        IReadOnlyList<KeyValuePair<string, string>>? serviceEnvironment = null,
        ConfigSources? config = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        resolved = null;
        error = null;

        if (container.Command is not { Count: > 0 } && !runsImages)
        {
            error = ContainerCreateError.Config(
                $"container \"{container.Name}\" has no command: DurableKube does not pull images, so the process runtime runs "
                + "spec.containers[].command with its args; set command (e.g. [\"sh\", \"-c\", \"...\"])");
            return false;
        }

        config ??= ConfigSources.Empty;
        var environment = new List<KeyValuePair<string, string>>();
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        var secretNames = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<(string, string)>();
        foreach (var (name, value) in serviceEnvironment ?? [])
        {
            defined[name] = value;
        }

        void Define(string name, string value, bool fromSecret)
        {
            // A later definition of the same name wins, in place.
            var index = environment.FindIndex(e => e.Key == name);
            if (index >= 0)
            {
                environment[index] = new(name, value);
            }
            else
            {
                environment.Add(new(name, value));
            }

            defined[name] = value;
            if (fromSecret)
            {
                secretNames.Add(name);
            }
            else
            {
                secretNames.Remove(name);
            }
        }

        // envFrom first, in order, then env: a variable of env overrides one of envFrom (the kubelet's makeEnvironmentVariables).
        var ns = pod.Metadata?.NamespaceProperty ?? string.Empty;
        foreach (var source in container.EnvFrom ?? [])
        {
            IEnumerable<KeyValuePair<string, string>> entries;
            string what, sourceName;
            var fromSecret = false;
            if (source.ConfigMapRef is { } cm)
            {
                (what, sourceName) = ("configMap", cm.Name ?? string.Empty);
                if (!config.ConfigMaps.TryGetValue(sourceName, out var map))
                {
                    if (cm.Optional == true)
                    {
                        continue;
                    }

                    error = ContainerCreateError.Missing($"configmap \"{sourceName}\" not found");
                    return false;
                }

                entries = map.Data ?? new Dictionary<string, string>();
            }
            else if (source.SecretRef is { } sr)
            {
                (what, sourceName, fromSecret) = ("secret", sr.Name ?? string.Empty, true);
                if (!config.Secrets.TryGetValue(sourceName, out var secret))
                {
                    if (sr.Optional == true)
                    {
                        continue;
                    }

                    error = ContainerCreateError.Missing($"secret \"{sourceName}\" not found");
                    return false;
                }

                entries = (secret.Data ?? new Dictionary<string, byte[]>()).Select(p => new KeyValuePair<string, string>(p.Key, Text(p.Value)));
            }
            else
            {
                continue;
            }

            var invalid = new List<string>();
            foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                var name = (source.Prefix ?? string.Empty) + key;
                if (!IsEnvVarName(name))
                {
                    invalid.Add(name);
                    continue;
                }

                Define(name, value, fromSecret);
            }

            if (invalid.Count > 0)
            {
                warnings.Add((InvalidEnvironmentVariableNames,
                    $"Keys [{string.Join(", ", invalid)}] from the EnvFrom {what} {ns}/{sourceName} were skipped since they are considered invalid environment variable names."));
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            string value;
            var fromSecret = false;
            if (variable.ValueFrom is { ConfigMapKeyRef: { } cmKey })
            {
                var name = cmKey.Name ?? string.Empty;
                if (!config.ConfigMaps.TryGetValue(name, out var map))
                {
                    if (cmKey.Optional == true)
                    {
                        continue;
                    }

                    error = ContainerCreateError.Missing($"configmap \"{name}\" not found");
                    return false;
                }

                string? found = null;
                if (map.Data?.TryGetValue(cmKey.Key ?? string.Empty, out found) != true)
                {
                    if (cmKey.Optional == true)
                    {
                        continue;
                    }

                    error = ContainerCreateError.Missing($"couldn't find key {cmKey.Key} in ConfigMap {ns}/{name}");
                    return false;
                }

                value = found ?? string.Empty;
            }
            else if (variable.ValueFrom is { SecretKeyRef: { } secretKey })
            {
                var name = secretKey.Name ?? string.Empty;
                if (!config.Secrets.TryGetValue(name, out var secret))
                {
                    if (secretKey.Optional == true)
                    {
                        continue;
                    }

                    error = ContainerCreateError.Missing($"secret \"{name}\" not found");
                    return false;
                }

                byte[]? bytes = null;
                if (secret.Data?.TryGetValue(secretKey.Key ?? string.Empty, out bytes) != true)
                {
                    if (secretKey.Optional == true)
                    {
                        continue;
                    }

                    error = ContainerCreateError.Missing($"couldn't find key {secretKey.Key} in Secret {ns}/{name}");
                    return false;
                }

                value = Text(bytes);
                fromSecret = true;
            }
            else if (variable.ValueFrom is { } from)
            {
                if (!TryValueFrom(pod, container, from, nodeName, sandbox, nodeAllocatable, out value, out var why))
                {
                    error = ContainerCreateError.Config(why);
                    return false;
                }
            }
            else
            {
                value = VariableExpansion.Expand(variable.Value ?? string.Empty, name => defined.GetValueOrDefault(name));
            }

            Define(variable.Name, value, fromSecret);
        }

        foreach (var (name, value) in serviceEnvironment ?? [])
        {
            if (!environment.Any(e => e.Key == name))
            {
                environment.Add(new(name, value));
            }
        }

        string? Lookup(string name) => defined.GetValueOrDefault(name);
        var args = (container.Args ?? []).Select(a => VariableExpansion.Expand(a, Lookup)).ToList();
        var workingDirectory = string.IsNullOrEmpty(container.WorkingDir) ? null : container.WorkingDir;
        if (container.Command is not { Count: > 0 })
        {
            // The image's entrypoint runs, given the args in place of the image's own.
            resolved = new ResolvedContainer([], environment, workingDirectory) { EntrypointArgs = args, SecretEnvironment = secretNames, Warnings = warnings };
            return true;
        }

        var command = container.Command.Select(c => VariableExpansion.Expand(c, Lookup)).Concat(args).ToList();
        resolved = new ResolvedContainer(command, environment, workingDirectory) { SecretEnvironment = secretNames, Warnings = warnings };
        return true;
    }

    /// <summary>
    /// The value of a downward API reference (<c>fieldRef</c> or <c>resourceFieldRef</c>) as the kubelet computes it for env and
    /// downwardAPI volumes.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">The container a <c>resourceFieldRef</c> without <c>containerName</c> refers to.</param>
    /// <param name="from">The reference.</param>
    /// <param name="nodeName">The pod's node.</param>
    /// <param name="nodeAllocatable">The node's allocatable resources, for a limit the container does not set.</param>
    /// <param name="value">The value.</param>
    /// <param name="error">Why there is none.</param>
    /// <returns>Whether there is a value.</returns>
    public static bool TryFieldValue(
        V1Pod pod, V1Container container, V1EnvVarSource from, string? nodeName, IDictionary<string, ResourceQuantity>? nodeAllocatable, out string value, out string error)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(from);
        return TryValueFrom(pod, container, from, nodeName, null, nodeAllocatable, out value, out error);
    }

    private static bool TryValueFrom(
        V1Pod pod,
        V1Container container,
        V1EnvVarSource from,
        string? nodeName,
        SandboxAddresses? sandbox,
        IDictionary<string, ResourceQuantity>? nodeAllocatable,
        out string value,
        out string error)
    {
        value = string.Empty;
        error = string.Empty;
        if (from.FieldRef is { } field)
        {
            var path = field.FieldPath ?? string.Empty;
            string? found = path switch
            {
                "metadata.name" => pod.Metadata.Name,
                "metadata.namespace" => pod.Metadata.NamespaceProperty,
                "metadata.uid" => pod.Metadata.Uid,
                "spec.nodeName" => nodeName ?? pod.Spec.NodeName ?? string.Empty,
                "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? string.Empty,
                "status.hostIP" or "status.hostIPs" => sandbox?.HostIP ?? string.Empty,
                "status.podIP" or "status.podIPs" => sandbox?.PodIP ?? string.Empty,
                _ when TryMapKey(path, "metadata.labels", out var key) => Lookup(pod.Metadata.Labels, key),
                _ when TryMapKey(path, "metadata.annotations", out var key) => Lookup(pod.Metadata.Annotations, key),
                _ => null,
            };
            if (found is null)
            {
                error = $"unsupported fieldRef \"{path}\" in env of container \"{container.Name}\"";
                return false;
            }

            value = found;
            return true;
        }

        if (from.ResourceFieldRef is { } resource)
        {
            var target = string.IsNullOrEmpty(resource.ContainerName)
                ? container
                : (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == resource.ContainerName);
            if (target is null)
            {
                error = $"resourceFieldRef of container \"{container.Name}\" names container \"{resource.ContainerName}\", which is not in the pod";
                return false;
            }

            var parts = (resource.Resource ?? string.Empty).Split('.');
            var (kind, name) = parts.Length == 2 ? (parts[0], parts[1]) : (string.Empty, string.Empty);
            if (kind is not ("limits" or "requests") || name is not ("cpu" or "memory" or "ephemeral-storage"))
            {
                error = $"unsupported container resource : {resource.Resource}";
                return false;
            }

            decimal amount;
            if ((kind == "limits" ? target.Resources?.Limits : target.Resources?.Requests) is { } set && set.TryGetValue(name, out var quantity))
            {
                amount = quantity.ToDecimal();
            }
            else if (kind == "requests")
            {
                // No request: zero, as the kubelet reads an absent quantity.
                amount = 0m;
            }
            else if (nodeAllocatable is not null && nodeAllocatable.TryGetValue(name, out var allocatable))
            {
                // No limit: the node's allocatable amount (the kubelet's MergeContainerResourceLimits).
                amount = allocatable.ToDecimal();
            }
            else
            {
                error = $"resourceFieldRef \"{resource.Resource}\" of container \"{container.Name}\": the container sets no limit and node "
                    + $"\"{nodeName}\" reports no allocatable {name}";
                return false;
            }

            var divisor = resource.Divisor?.ToDecimal() is { } d && d != 0 ? d : 1m;
            value = decimal.Ceiling(amount / divisor).ToString(CultureInfo.InvariantCulture);
            return true;
        }

        error = $"env of container \"{container.Name}\" has a valueFrom with no source";
        return false;
    }

    /// <summary>The event reason of envFrom keys skipped because they are not valid variable names.</summary>
    public const string InvalidEnvironmentVariableNames = "InvalidEnvironmentVariableNames";

    /// <summary>
    /// Whether a name may be an environment variable's (<c>IsRelaxedEnvVarName</c>, the rule since
    /// RelaxedEnvironmentVariableValidation: printable ASCII other than '=', not empty), as the API server validates env names.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsEnvVarName(string name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c is >= ' ' and <= '~' && c != '=');

    private static string Text(byte[]? bytes) => bytes is null ? string.Empty : System.Text.Encoding.UTF8.GetString(bytes);

    private static string Lookup(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : string.Empty;

    private static bool TryMapKey(string path, string prefix, out string key)
    {
        key = string.Empty;
        if (!path.StartsWith(prefix + "['", StringComparison.Ordinal) || !path.EndsWith("']", StringComparison.Ordinal))
        {
            return false;
        }

        key = path[(prefix.Length + 2)..^2];
        return true;
    }
}
