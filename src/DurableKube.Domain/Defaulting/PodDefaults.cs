using k8s.Models;

namespace DurableKube.Domain.Defaulting;

/// <summary>
/// The defaults the API server gives a Pod: the scheme's defaults (pkg/apis/core/v1/defaults.go),
/// applied to every pod it decodes, and the admission defaults of a new pod (service account,
/// priority, the not-ready and unreachable tolerations).
/// </summary>
public static class PodDefaults
{
    /// <summary>How long a pod tolerates its node being not ready or unreachable by default.</summary>
    public const long DefaultTolerationSeconds = 300;

    /// <summary>Applies the scheme defaults to a pod, as on every decode (create, update, patch).</summary>
    /// <param name="pod">The pod, changed in place.</param>
    public static void Apply(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ??= new V1PodSpec();
        spec.RestartPolicy = Empty(spec.RestartPolicy) ? "Always" : spec.RestartPolicy;
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.DnsPolicy = Empty(spec.DnsPolicy) ? "ClusterFirst" : spec.DnsPolicy;
        spec.SchedulerName = Empty(spec.SchedulerName) ? "default-scheduler" : spec.SchedulerName;
        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.EnableServiceLinks ??= true;
        if (!Empty(spec.ServiceAccount) && Empty(spec.ServiceAccountName))
        {
            spec.ServiceAccountName = spec.ServiceAccount;
        }

        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            ApplyContainer(container);
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            ApplyVolume(volume);
        }
    }

    /// <summary>Applies what admission adds to a new pod: the default service account, priority 0 and the default tolerations.</summary>
    /// <param name="pod">The pod, changed in place.</param>
    public static void ApplyOnCreate(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ??= new V1PodSpec();
        if (Empty(spec.ServiceAccountName))
        {
            spec.ServiceAccountName = "default";
        }

        spec.ServiceAccount = spec.ServiceAccountName;
        if (Empty(spec.PriorityClassName))
        {
            spec.Priority ??= 0;
        }

        spec.Tolerations ??= [];
        AddDefaultToleration(spec.Tolerations, "node.kubernetes.io/not-ready");
        AddDefaultToleration(spec.Tolerations, "node.kubernetes.io/unreachable");
    }

    /// <summary>The image pull policy Kubernetes defaults to: <c>Always</c> for <c>:latest</c> or no tag, else <c>IfNotPresent</c>.</summary>
    /// <param name="image">The image reference.</param>
    /// <returns>The policy.</returns>
    public static string DefaultPullPolicy(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return "IfNotPresent";
        }

        var digest = image.IndexOf('@', StringComparison.Ordinal);
        var name = digest >= 0 ? image[..digest] : image;
        var colon = name.LastIndexOf(':');
        var tag = colon > name.LastIndexOf('/') ? name[(colon + 1)..] : (digest >= 0 ? string.Empty : "latest");
        return tag == "latest" ? "Always" : "IfNotPresent";
    }

    private static void ApplyContainer(V1Container container)
    {
        container.TerminationMessagePath = Empty(container.TerminationMessagePath) ? "/dev/termination-log" : container.TerminationMessagePath;
        container.TerminationMessagePolicy = Empty(container.TerminationMessagePolicy) ? "File" : container.TerminationMessagePolicy;
        container.ImagePullPolicy = Empty(container.ImagePullPolicy) ? DefaultPullPolicy(container.Image) : container.ImagePullPolicy;
        container.Resources ??= new V1ResourceRequirements();
        if (container.Resources.Limits is { Count: > 0 } limits)
        {
            container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
            foreach (var (name, quantity) in limits)
            {
                if (!container.Resources.Requests.ContainsKey(name))
                {
                    container.Resources.Requests[name] = quantity;
                }
            }
        }

        foreach (var port in container.Ports ?? [])
        {
            port.Protocol = Empty(port.Protocol) ? "TCP" : port.Protocol;
        }

        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.FieldRef is { } fieldRef && Empty(fieldRef.ApiVersion))
            {
                fieldRef.ApiVersion = "v1";
            }
        }

        ApplyProbe(container.LivenessProbe);
        ApplyProbe(container.ReadinessProbe);
        ApplyProbe(container.StartupProbe);
    }

    private static void ApplyProbe(V1Probe? probe)
    {
        if (probe is null)
        {
            return;
        }

        probe.TimeoutSeconds ??= 1;
        probe.PeriodSeconds ??= 10;
        probe.SuccessThreshold ??= 1;
        probe.FailureThreshold ??= 3;
        if (probe.HttpGet is { } httpGet)
        {
            httpGet.Path = Empty(httpGet.Path) ? "/" : httpGet.Path;
            httpGet.Scheme = Empty(httpGet.Scheme) ? "HTTP" : httpGet.Scheme;
        }
    }

    private static void ApplyVolume(V1Volume volume)
    {
        const int defaultMode = 420; // 0644
        if (volume.Secret is { } secret)
        {
            secret.DefaultMode ??= defaultMode;
        }

        if (volume.ConfigMap is { } configMap)
        {
            configMap.DefaultMode ??= defaultMode;
        }

        if (volume.DownwardAPI is { } downward)
        {
            downward.DefaultMode ??= defaultMode;
        }

        if (volume.Projected is { } projected)
        {
            projected.DefaultMode ??= defaultMode;
        }

        if (volume.HostPath is { } hostPath)
        {
            hostPath.Type ??= string.Empty;
        }
    }

    private static void AddDefaultToleration(IList<V1Toleration> tolerations, string key)
    {
        var tolerated = tolerations.Any(t => (Empty(t.Key) || t.Key == key) && (Empty(t.Effect) || t.Effect == "NoExecute"));
        if (!tolerated)
        {
            tolerations.Add(new V1Toleration
            {
                Key = key,
                OperatorProperty = "Exists",
                Effect = "NoExecute",
                TolerationSeconds = DefaultTolerationSeconds,
            });
        }
    }

    private static bool Empty(string? value) => string.IsNullOrEmpty(value);
}
