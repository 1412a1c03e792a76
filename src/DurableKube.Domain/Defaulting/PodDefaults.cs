using k8s.Models;

namespace DurableKube.Domain.Defaulting;

/// <summary>
/// The defaults the API server gives a Pod and a pod template, in three layers:
/// <list type="bullet">
/// <item><see cref="ApplySpec"/>: the scheme's defaults of every pod spec (pkg/apis/core/v1/defaults.go <c>SetDefaults_PodSpec</c>
/// and the container, probe, port and volume defaults), applied whenever a pod or an object holding a pod template is decoded;
/// <see cref="ApplyTemplate"/> applies them to a template.</item>
/// <item><see cref="Apply"/>: those plus the scheme's defaults of a Pod only (<c>SetDefaults_Pod</c>: enableServiceLinks,
/// requests copied from limits), on every decode of a pod.</item>
/// <item><see cref="ApplyOnCreate"/>: what admission adds to a new pod only (service account, priority, the not-ready and
/// unreachable tolerations).</item>
/// </list>
/// </summary>
public static class PodDefaults
{
    /// <summary>How long a pod tolerates its node being not ready or unreachable by default.</summary>
    public const long DefaultTolerationSeconds = 300;

    /// <summary>
    /// Applies the scheme defaults to a pod, as on every decode (create, update, patch): <see cref="ApplySpec"/>, then what
    /// only a Pod gets (<c>SetDefaults_Pod</c>): <c>enableServiceLinks: true</c> and each container's requests defaulted to
    /// its limits.
    /// </summary>
    /// <param name="pod">The pod, changed in place.</param>
    public static void Apply(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ??= new V1PodSpec();
        ApplySpec(spec);
        spec.EnableServiceLinks ??= true;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            DefaultRequestsToLimits(container);
        }
    }

    /// <summary>
    /// Applies the scheme defaults every pod spec gets, a pod's or a template's (<c>SetDefaults_PodSpec</c> and the defaults of
    /// the types inside it): restartPolicy <c>Always</c>, dnsPolicy <c>ClusterFirst</c>, schedulerName <c>default-scheduler</c>,
    /// terminationGracePeriodSeconds 30, an empty securityContext, serviceAccountName from the deprecated serviceAccount
    /// (a conversion rule in Kubernetes, which every pod spec goes through too);
    /// per container imagePullPolicy, terminationMessagePath and terminationMessagePolicy, empty resources, port protocol
    /// <c>TCP</c>, fieldRef apiVersion <c>v1</c> and the probe defaults; volume defaultMode 0644 and hostPath type.
    /// Nothing only a Pod gets: no enableServiceLinks, no requests from limits, no tolerations, service account or priority.
    /// </summary>
    /// <param name="spec">The spec, changed in place.</param>
    public static void ApplySpec(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.RestartPolicy = Empty(spec.RestartPolicy) ? "Always" : spec.RestartPolicy;
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.DnsPolicy = Empty(spec.DnsPolicy) ? "ClusterFirst" : spec.DnsPolicy;
        spec.SchedulerName = Empty(spec.SchedulerName) ? "default-scheduler" : spec.SchedulerName;
        spec.SecurityContext ??= new V1PodSecurityContext();
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

        foreach (var ephemeral in spec.EphemeralContainers ?? [])
        {
            ApplyEphemeral(ephemeral);
        }
    }

    /// <summary>
    /// Applies the defaults of an ephemeral container: imagePullPolicy, terminationMessagePath and
    /// terminationMessagePolicy, as for any container, and fieldRef apiVersion <c>v1</c>.
    /// </summary>
    /// <param name="container">The ephemeral container, changed in place.</param>
    public static void ApplyEphemeral(V1EphemeralContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        container.TerminationMessagePath = Empty(container.TerminationMessagePath) ? "/dev/termination-log" : container.TerminationMessagePath;
        container.TerminationMessagePolicy = Empty(container.TerminationMessagePolicy) ? "File" : container.TerminationMessagePolicy;
        container.ImagePullPolicy = Empty(container.ImagePullPolicy) ? DefaultPullPolicy(container.Image) : container.ImagePullPolicy;
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.FieldRef is { } fieldRef && Empty(fieldRef.ApiVersion))
            {
                fieldRef.ApiVersion = "v1";
            }
        }
    }

    /// <summary>
    /// Applies the scheme defaults a pod template gets wherever it sits (a ReplicaSet's, Deployment's, Job's ... <c>spec.template</c>):
    /// <see cref="ApplySpec"/> on its spec, created if missing as the API server's template always has one. The template's
    /// metadata gets nothing, and nothing only a Pod gets is added (see <see cref="Apply"/> and <see cref="ApplyOnCreate"/>):
    /// the pods a controller creates from the template get those when they are created.
    /// </summary>
    /// <param name="template">The template, changed in place.</param>
    public static void ApplyTemplate(V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        ApplySpec(template.Spec ??= new V1PodSpec());
    }

    /// <summary>
    /// Applies what admission adds to a new pod: the default service account, priority 0 (preemption policy <c>PreemptLowerPriority</c>) and the default tolerations
    /// (the DefaultTolerationSeconds admission plugin). Only pod creation does this, never a template.
    /// </summary>
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
            // The Priority admission plugin, with no default PriorityClass: priority 0, which may preempt lower ones.
            spec.Priority ??= 0;
            spec.PreemptionPolicy ??= "PreemptLowerPriority";
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

    private static void DefaultRequestsToLimits(V1Container container)
    {
        if (container.Resources?.Limits is { Count: > 0 } limits)
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
    }

    private static void ApplyProbe(V1Probe? probe)
    {
        if (probe is null)
        {
            return;
        }

        // SetDefaults_Probe: the fields are plain int32 in Go, so an unset field and an explicit 0 both take the default.
        probe.TimeoutSeconds = probe.TimeoutSeconds is null or 0 ? 1 : probe.TimeoutSeconds;
        probe.PeriodSeconds = probe.PeriodSeconds is null or 0 ? 10 : probe.PeriodSeconds;
        probe.SuccessThreshold = probe.SuccessThreshold is null or 0 ? 1 : probe.SuccessThreshold;
        probe.FailureThreshold = probe.FailureThreshold is null or 0 ? 3 : probe.FailureThreshold;
        if (probe.HttpGet is { } httpGet)
        {
            httpGet.Path = Empty(httpGet.Path) ? "/" : httpGet.Path;
            httpGet.Scheme = Empty(httpGet.Scheme) ? "HTTP" : httpGet.Scheme;
        }

        if (probe.Grpc is { } grpc)
        {
            // GRPCAction.Service is marked +default="": the server's overall health, as the gRPC health protocol has it.
            grpc.Service ??= string.Empty;
        }
    }

    private static void ApplyVolume(V1Volume volume)
    {
        const int defaultMode = 420; // 0644
        if (Serialization.KubeJson.ToNode(volume) is System.Text.Json.Nodes.JsonObject fields && fields.All(f => f.Key == "name"))
        {
            // A volume that names no source is an emptyDir (SetDefaults_Volume).
            volume.EmptyDir = new V1EmptyDirVolumeSource();
        }

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
