using k8s.Models;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// The ConfigMaps and Secrets of a pod's namespace that the kubelet read for it, by name: the pure lookup env,
/// envFrom and volumes are resolved against. A name that is not here is an object that does not exist.
/// </summary>
/// <param name="ConfigMaps">The ConfigMaps found, by name.</param>
/// <param name="Secrets">The Secrets found, by name.</param>
public sealed record ConfigSources(IReadOnlyDictionary<string, V1ConfigMap> ConfigMaps, IReadOnlyDictionary<string, V1Secret> Secrets)
{
    /// <summary>Gets the lookup that finds nothing.</summary>
    public static ConfigSources Empty { get; } = new(new Dictionary<string, V1ConfigMap>(), new Dictionary<string, V1Secret>());

    /// <summary>The ConfigMaps and Secrets a container's env and envFrom name.</summary>
    /// <param name="container">The container.</param>
    /// <returns>The names, each once.</returns>
    public static ConfigNames UsedByEnvironment(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var names = new ConfigNames();
        foreach (var source in container.EnvFrom ?? [])
        {
            names.Add(source.ConfigMapRef?.Name, source.SecretRef?.Name);
        }

        foreach (var variable in container.Env ?? [])
        {
            names.Add(variable.ValueFrom?.ConfigMapKeyRef?.Name, variable.ValueFrom?.SecretKeyRef?.Name);
        }

        return names;
    }

    /// <summary>The ConfigMaps and Secrets a pod's volumes (projected ones included) name.</summary>
    /// <param name="spec">The pod spec.</param>
    /// <returns>The names, each once.</returns>
    public static ConfigNames UsedByVolumes(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = new ConfigNames();
        foreach (var volume in spec.Volumes ?? [])
        {
            names.Add(volume.ConfigMap?.Name, volume.Secret?.SecretName);
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                names.Add(source.ConfigMap?.Name, source.Secret?.Name);
            }
        }

        return names;
    }

    /// <summary>Everything of a pod that names a ConfigMap or a Secret: every container's env, the volumes, the image pull secrets.</summary>
    /// <param name="spec">The pod spec.</param>
    /// <returns>The names, each once.</returns>
    public static ConfigNames UsedByPod(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = UsedByVolumes(spec);
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            names.UnionWith(UsedByEnvironment(container));
        }

        foreach (var container in spec.EphemeralContainers ?? [])
        {
            foreach (var source in container.EnvFrom ?? [])
            {
                names.Add(source.ConfigMapRef?.Name, source.SecretRef?.Name);
            }

            foreach (var variable in container.Env ?? [])
            {
                names.Add(variable.ValueFrom?.ConfigMapKeyRef?.Name, variable.ValueFrom?.SecretKeyRef?.Name);
            }
        }

        foreach (var reference in spec.ImagePullSecrets ?? [])
        {
            names.Add(null, reference.Name);
        }

        return names;
    }
}

/// <summary>Names of ConfigMaps and Secrets, each once, in the order first named.</summary>
public sealed class ConfigNames
{
    private readonly List<string> _configMaps = [];
    private readonly List<string> _secrets = [];

    /// <summary>Gets the ConfigMaps' names.</summary>
    public IReadOnlyList<string> ConfigMaps => _configMaps;

    /// <summary>Gets the Secrets' names.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    /// <summary>Adds a ConfigMap's name, a Secret's, or both; empty ones are ignored.</summary>
    /// <param name="configMap">A ConfigMap's name, or <see langword="null"/>.</param>
    /// <param name="secret">A Secret's name, or <see langword="null"/>.</param>
    public void Add(string? configMap, string? secret)
    {
        if (!string.IsNullOrEmpty(configMap) && !_configMaps.Contains(configMap))
        {
            _configMaps.Add(configMap);
        }

        if (!string.IsNullOrEmpty(secret) && !_secrets.Contains(secret))
        {
            _secrets.Add(secret);
        }
    }

    /// <summary>Adds the names of another set.</summary>
    /// <param name="other">The other set.</param>
    public void UnionWith(ConfigNames other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var name in other.ConfigMaps)
        {
            Add(name, null);
        }

        foreach (var name in other.Secrets)
        {
            Add(null, name);
        }
    }

    /// <summary>Whether a ConfigMap or Secret of this name is among them.</summary>
    /// <param name="kind"><c>ConfigMap</c> or <c>Secret</c>.</param>
    /// <param name="name">The name.</param>
    /// <returns>Whether it is named.</returns>
    public bool Names(string kind, string name) =>
        kind == "ConfigMap" ? _configMaps.Contains(name) : kind == "Secret" && _secrets.Contains(name);
}
