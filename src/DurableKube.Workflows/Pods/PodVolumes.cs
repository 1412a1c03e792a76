using System.Text;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Validation;
using DurableKube.Ports.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// The kubelet's volume manager as a pure function: turns a pod's volumes into what the runtime provides
/// (<see cref="SandboxVolume"/>s), reading ConfigMaps and Secrets from a lookup made beforehand. configMap, secret,
/// downwardAPI and projected volumes become files (items, <c>defaultMode</c> and <c>mode</c> applied, as the atomic
/// writer's payload); emptyDir and hostPath are passed on. A volume that cannot be set up fails with the kubelet's
/// FailedMount message, and the pod waits.
/// </summary>
internal static class PodVolumes
{
    /// <summary>Resolves every volume of a pod.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="config">The ConfigMaps and Secrets its volumes name.</param>
    /// <param name="allowHostPath">Whether the node allows hostPath volumes (<c>Kubelet__AllowHostPath</c>).</param>
    /// <param name="nodeAllocatable">The node's allocatable resources, for a downward API resourceFieldRef to an unset limit.</param>
    /// <returns>The volumes, or the first failure.</returns>
    public static VolumeResolution Resolve(V1Pod pod, ConfigSources config, bool allowHostPath, IDictionary<string, ResourceQuantity>? nodeAllocatable = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(config);
        var volumes = new List<SandboxVolume>();
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (!TryResolve(pod, volume, config, allowHostPath, nodeAllocatable, out var resolved, out var why))
            {
                return new VolumeResolution([], $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {why}");
            }

            volumes.Add(resolved!);
        }

        return new VolumeResolution(volumes, null);
    }

    /// <summary>Whether a volume of the pod is one of files (configMap, secret, downwardAPI, projected), mounted read-only.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="name">The volume's name.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsFiles(V1Pod pod, string name)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Spec?.Volumes ?? []).FirstOrDefault(v => v.Name == name) is { } volume
            && (volume.ConfigMap is not null || volume.Secret is not null || volume.DownwardAPI is not null || volume.Projected is not null);
    }

    /// <summary>Whether a volume of the pod shows a ConfigMap's or Secret's keys (directly or projected), so a change of it changes the files.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="kind"><c>ConfigMap</c> or <c>Secret</c>.</param>
    /// <param name="name">The object's name.</param>
    /// <returns>Whether it does.</returns>
    public static bool Shows(V1Volume volume, string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return kind switch
        {
            "ConfigMap" => volume.ConfigMap?.Name == name || (volume.Projected?.Sources ?? []).Any(s => s.ConfigMap?.Name == name),
            "Secret" => volume.Secret?.SecretName == name || (volume.Projected?.Sources ?? []).Any(s => s.Secret?.Name == name),
            _ => false,
        };
    }

    private static bool TryResolve(
        V1Pod pod, V1Volume volume, ConfigSources config, bool allowHostPath, IDictionary<string, ResourceQuantity>? allocatable, out SandboxVolume? resolved, out string why)
    {
        resolved = null;
        why = string.Empty;
        var files = new List<VolumeFile>();
        switch (volume)
        {
            case { EmptyDir: { } emptyDir }:
                resolved = new SandboxVolume(volume.Name, SandboxVolumeKind.EmptyDir)
                {
                    InMemory = emptyDir.Medium == "Memory",
                    SizeLimitBytes = emptyDir.SizeLimit is { } limit ? (long)decimal.Ceiling(limit.ToDecimal()) : null,
                };
                return true;

            case { HostPath: { } hostPath }:
                if (!allowHostPath)
                {
                    why = "hostPath volumes are not allowed on this node (Kubelet__AllowHostPath=false)";
                    return false;
                }

                resolved = new SandboxVolume(volume.Name, SandboxVolumeKind.HostPath) { HostPath = hostPath.Path, HostPathType = hostPath.Type ?? string.Empty };
                return true;

            case { ConfigMap: { } source }:
                if (!TryConfigMap(config, source.Name, source.Items, source.Optional == true, source.DefaultMode ?? VolumeFile.DefaultMode, files, out why))
                {
                    return false;
                }

                resolved = new SandboxVolume(volume.Name, SandboxVolumeKind.Files) { Files = files };
                return true;

            case { Secret: { } source }:
                if (!TrySecret(config, source.SecretName, source.Items, source.Optional == true, source.DefaultMode ?? VolumeFile.DefaultMode, files, out why))
                {
                    return false;
                }

                resolved = new SandboxVolume(volume.Name, SandboxVolumeKind.Files) { Files = files, Sensitive = true };
                return true;

            case { DownwardAPI: { } source }:
                if (!TryDownward(pod, source.Items, source.DefaultMode ?? VolumeFile.DefaultMode, allocatable, files, out why))
                {
                    return false;
                }

                resolved = new SandboxVolume(volume.Name, SandboxVolumeKind.Files) { Files = files };
                return true;

            case { Projected: { } projected }:
                var mode = projected.DefaultMode ?? VolumeFile.DefaultMode;
                foreach (var source in projected.Sources ?? [])
                {
                    var ok = source switch
                    {
                        { ConfigMap: { } cm } => TryConfigMap(config, cm.Name, cm.Items, cm.Optional == true, mode, files, out why),
                        { Secret: { } secret } => TrySecret(config, secret.Name, secret.Items, secret.Optional == true, mode, files, out why),
                        { DownwardAPI: { } downward } => TryDownward(pod, downward.Items, mode, allocatable, files, out why),
                        { ServiceAccountToken: not null } => Refuse("serviceAccountToken", out why),
                        { ClusterTrustBundle: not null } => Refuse("clusterTrustBundle", out why),
                        _ => Refuse("an unknown source", out why),
                    };
                    if (!ok)
                    {
                        return false;
                    }
                }

                resolved = new SandboxVolume(volume.Name, SandboxVolumeKind.Files)
                {
                    Files = files,
                    Sensitive = (projected.Sources ?? []).Any(s => s.Secret is not null),
                };
                return true;

            default:
                why = $"this node provides emptyDir, configMap, secret, downwardAPI, projected and hostPath volumes; volume \"{volume.Name}\" is of another kind";
                return false;
        }
    }

    private static bool Refuse(string source, out string why)
    {
        why = $"projected volume source {source} is not served by DurableKube";
        return false;
    }

    private static bool TryConfigMap(
        ConfigSources config, string? name, IList<V1KeyToPath>? items, bool optional, int defaultMode, List<VolumeFile> files, out string why)
    {
        why = string.Empty;
        if (!config.ConfigMaps.TryGetValue(name ?? string.Empty, out var configMap))
        {
            if (optional)
            {
                return true;
            }

            why = $"configmap \"{name}\" not found";
            return false;
        }

        byte[]? Content(string key) =>
            configMap.Data?.TryGetValue(key, out var text) == true ? Encoding.UTF8.GetBytes(text ?? string.Empty)
            : configMap.BinaryData?.TryGetValue(key, out var bytes) == true ? bytes ?? []
            : null;

        var keys = (configMap.Data?.Keys ?? []).Concat(configMap.BinaryData?.Keys ?? []);
        return TryPayload(keys, Content, items, optional, defaultMode, "configmap references non-existent config key: ", files, out why);
    }

    private static bool TrySecret(
        ConfigSources config, string? name, IList<V1KeyToPath>? items, bool optional, int defaultMode, List<VolumeFile> files, out string why)
    {
        why = string.Empty;
        if (!config.Secrets.TryGetValue(name ?? string.Empty, out var secret))
        {
            if (optional)
            {
                return true;
            }

            why = $"secret \"{name}\" not found";
            return false;
        }

        byte[]? Content(string key) => secret.Data?.TryGetValue(key, out var bytes) == true ? bytes ?? [] : null;
        return TryPayload(secret.Data?.Keys ?? [], Content, items, optional, defaultMode, "references non-existent secret key: ", files, out why);
    }

    /// <summary>The atomic writer's payload of one object: every key as a file, or the items asked for at their paths.</summary>
    private static bool TryPayload(
        IEnumerable<string> keys, Func<string, byte[]?> content, IList<V1KeyToPath>? items, bool optional, int defaultMode, string missingKey, List<VolumeFile> files, out string why)
    {
        why = string.Empty;
        if (items is not { Count: > 0 })
        {
            foreach (var key in keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                Put(files, new VolumeFile(key, content(key)!, defaultMode));
            }

            return true;
        }

        foreach (var item in items)
        {
            if (content(item.Key ?? string.Empty) is not { } bytes)
            {
                if (optional)
                {
                    continue;
                }

                why = missingKey + item.Key;
                return false;
            }

            if (!SafePath(item.Path, out why))
            {
                return false;
            }

            Put(files, new VolumeFile(item.Path, bytes, item.Mode ?? defaultMode));
        }

        return true;
    }

    private static bool TryDownward(
        V1Pod pod, IList<V1DownwardAPIVolumeFile>? items, int defaultMode, IDictionary<string, ResourceQuantity>? allocatable, List<VolumeFile> files, out string why)
    {
        why = string.Empty;
        var container = pod.Spec?.Containers?.FirstOrDefault() ?? new V1Container { Name = string.Empty };
        foreach (var item in items ?? [])
        {
            if (!SafePath(item.Path, out why))
            {
                return false;
            }

            string value;
            var field = item.FieldRef?.FieldPath;
            if (field == "metadata.labels")
            {
                value = FormatMap(pod.Metadata?.Labels);
            }
            else if (field == "metadata.annotations")
            {
                value = FormatMap(pod.Metadata?.Annotations);
            }
            else if (!ContainerResolver.TryFieldValue(
                pod, container, new V1EnvVarSource { FieldRef = item.FieldRef, ResourceFieldRef = item.ResourceFieldRef }, pod.Spec?.NodeName, allocatable, out value, out why))
            {
                return false;
            }

            Put(files, new VolumeFile(item.Path, Encoding.UTF8.GetBytes(value), item.Mode ?? defaultMode));
        }

        return true;
    }

    /// <summary>A map as the downward API writes it (<c>fieldpath.FormatMap</c>): <c>key="value"</c> lines, keys sorted.</summary>
    /// <param name="map">The labels or annotations.</param>
    /// <returns>The file's text.</returns>
    internal static string FormatMap(IDictionary<string, string>? map) =>
        string.Join("\n", (map ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + FieldError.GoQuote(p.Value ?? string.Empty)));

    /// <summary>A file later in the payload replaces one at the same path (as projected sources overlay each other).</summary>
    private static void Put(List<VolumeFile> files, VolumeFile file)
    {
        files.RemoveAll(f => f.Path == file.Path);
        files.Add(file);
    }

    /// <summary>Refuses a path that would leave the volume (the API server refuses them too; this guards what the runtime writes).</summary>
    private static bool SafePath(string? path, out string why)
    {
        why = string.Empty;
        if (string.IsNullOrEmpty(path) || path.StartsWith('/') || path.Split('/').Contains(".."))
        {
            why = $"invalid path \"{path}\": must be a relative path without '..'";
            return false;
        }

        return true;
    }
}

/// <summary>A pod's volumes resolved, or why they cannot be.</summary>
/// <param name="Volumes">The volumes, when every one resolved.</param>
/// <param name="Failure">The kubelet's FailedMount message for the first that did not, or <see langword="null"/>.</param>
internal sealed record VolumeResolution(IReadOnlyList<SandboxVolume> Volumes, string? Failure);
