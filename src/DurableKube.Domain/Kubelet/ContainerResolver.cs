using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// Turns a container spec into the process to run, as the kubelet does before it asks the runtime:
/// builds the environment (<c>env</c> in order, each value expanding the variables defined before it;
/// the downward API's <c>fieldRef</c> and <c>resourceFieldRef</c>), then expands <c>command</c> and <c>args</c>.
/// </summary>
/// <remarks>
/// A runtime that does not run images (the process runtime) needs a <c>command</c>. Sources this control plane does not
/// serve yet (ConfigMaps, Secrets) fail the way a missing one fails in Kubernetes: CreateContainerConfigError.
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
        IReadOnlyList<KeyValuePair<string, string>>? serviceEnvironment = null)
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

        if (container.EnvFrom is { Count: > 0 } envFrom)
        {
            var source = envFrom[0];
            error = ContainerCreateError.Config(source.ConfigMapRef is { } cm
                ? $"configmap \"{cm.Name}\" not found"
                : $"secret \"{source.SecretRef?.Name}\" not found");
            return false;
        }

        var environment = new List<KeyValuePair<string, string>>();
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in serviceEnvironment ?? [])
        {
            defined[name] = value;
        }

        foreach (var variable in container.Env ?? [])
        {
            string value;
            if (variable.ValueFrom is { } from)
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

            // A later definition of the same name wins, in place.
            var index = environment.FindIndex(e => e.Key == variable.Name);
            if (index >= 0)
            {
                environment[index] = new(variable.Name, value);
            }
            else
            {
                environment.Add(new(variable.Name, value));
            }

            defined[variable.Name] = value;
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
            resolved = new ResolvedContainer([], environment, workingDirectory) { EntrypointArgs = args };
            return true;
        }

        var command = container.Command.Select(c => VariableExpansion.Expand(c, Lookup)).Concat(args).ToList();
        resolved = new ResolvedContainer(command, environment, workingDirectory);
        return true;
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

        if (from.ConfigMapKeyRef is { } configMap)
        {
            error = $"configmap \"{configMap.Name}\" not found";
            return false;
        }

        if (from.SecretKeyRef is { } secret)
        {
            error = $"secret \"{secret.Name}\" not found";
            return false;
        }

        error = $"env of container \"{container.Name}\" has a valueFrom with no source";
        return false;
    }

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
