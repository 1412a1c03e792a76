using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>The API server's checks of a Pod and of a pod template (pkg/apis/core/validation: <c>ValidatePodCreate</c>, <c>ValidatePodSpec</c>, <c>ValidatePodTemplateSpec</c>), for the fields this control plane uses.</summary>
public static class PodValidation
{
    /// <summary>The restart policies a pod may have, sorted as the API server lists them.</summary>
    public static readonly IReadOnlyList<string> RestartPolicies = ["Always", "Never", "OnFailure"];

    private static readonly string[] DnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] TerminationMessagePolicies = ["FallbackToLogsOnError", "File"];
    private static readonly string[] CpuAndMemory = ["cpu", "memory"];

    /// <summary>Checks a pod's spec (metadata is checked by <see cref="ObjectMetaValidation"/>) at the path <c>spec</c>.</summary>
    /// <param name="pod">The pod, defaulted.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSpec(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return ValidatePodSpec(pod.Spec, "spec");
    }

    /// <summary>
    /// Checks a pod spec wherever it sits: a pod's <c>spec</c> or a controller's <c>spec.template.spec</c>
    /// (the API server's <c>ValidatePodSpec</c>). A missing spec is reported as missing containers.
    /// </summary>
    /// <param name="spec">The spec, defaulted.</param>
    /// <param name="path">The spec's field path, e.g. <c>spec.template.spec</c>; every error's path starts with it.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidatePodSpec(V1PodSpec? spec, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<FieldError>();
        ValidatePodSpec(spec, path, errors);
        return errors;
    }

    /// <summary>
    /// Checks a pod template such as a controller's <c>spec.template</c> (the API server's <c>ValidatePodTemplateSpec</c>,
    /// then the owner's own rules): the template's labels and annotations at <c>{path}.labels</c> and
    /// <c>{path}.annotations</c> (a template's metadata has no name or namespace to check), its spec with
    /// <see cref="ValidatePodSpec(V1PodSpec?, string)"/> at <c>{path}.spec</c>, no ephemeral containers, then the
    /// restart policies and activeDeadlineSeconds the owner allows. A missing template is <c>Required</c> at
    /// <paramref name="path"/>; a template without a spec gets only <c>{path}.spec.containers: Required value</c>.
    /// </summary>
    /// <param name="template">The template, defaulted (<see cref="Defaulting.PodDefaults.ApplyTemplate"/>).</param>
    /// <param name="path">The template's field path, e.g. <c>spec.template</c> or <c>spec.jobTemplate.spec.template</c>.</param>
    /// <param name="rules">What the owner asks beyond a pod's rules, e.g. <see cref="PodTemplateRules.ReplicaSet"/>; null for none (a PodTemplate object).</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidatePodTemplateSpec(V1PodTemplateSpec? template, string path, PodTemplateRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (template is null)
        {
            return [FieldError.Required(path)];
        }

        var errors = new List<FieldError>();
        errors.AddRange(ObjectMetaValidation.ValidateLabels(template.Metadata?.Labels, path.Child("labels")));
        errors.AddRange(ObjectMetaValidation.ValidateAnnotations(template.Metadata?.Annotations, path.Child("annotations")));
        var spec = template.Spec;
        var specPath = path.Child("spec");
        ValidatePodSpec(spec, specPath, errors);
        if (spec is null)
        {
            return errors;
        }

        if (spec.EphemeralContainers is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(specPath.Child("ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }

        if (rules is not null)
        {
            ValidateOwnerRules(spec, specPath, rules, errors);
        }

        return errors;
    }

    /// <summary>Checks tolerations: operator and effect values, and that <c>Exists</c> has no value.</summary>
    /// <param name="tolerations">The tolerations.</param>
    /// <param name="path">Their field path.</param>
    /// <param name="errors">Where errors go.</param>
    internal static void ValidateTolerations(IList<V1Toleration>? tolerations, string path, List<FieldError> errors)
    {
        var i = 0;
        foreach (var toleration in tolerations ?? [])
        {
            var at = path.Index(i++);
            if (!string.IsNullOrEmpty(toleration.Key))
            {
                errors.AddRange(NameValidation.IsQualifiedName(toleration.Key).Select(m => FieldError.Invalid(at.Child("key"), toleration.Key, m)));
            }

            if (string.IsNullOrEmpty(toleration.Key) && toleration.OperatorProperty != "Exists")
            {
                errors.Add(FieldError.Invalid(at.Child("operator"), toleration.OperatorProperty ?? string.Empty, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }

            if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
            {
                errors.Add(FieldError.Invalid(at.Child("effect"), toleration.Effect ?? string.Empty, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }

            switch (toleration.OperatorProperty)
            {
                case null or "" or "Equal":
                    errors.AddRange(NameValidation.IsValidLabelValue(toleration.Value ?? string.Empty).Select(m => FieldError.Invalid(at.Child("operator"), toleration.Value, m)));
                    break;
                case "Exists":
                    if (!string.IsNullOrEmpty(toleration.Value))
                    {
                        errors.Add(FieldError.Invalid(at.Child("operator"), toleration, "value must be empty when `operator` is 'Exists'"));
                    }

                    break;
                default:
                    errors.Add(FieldError.NotSupported(at.Child("operator"), toleration.OperatorProperty, ["Equal", "Exists"]));
                    break;
            }

            if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute"))
            {
                errors.Add(FieldError.NotSupported(at.Child("effect"), toleration.Effect, ["NoExecute", "NoSchedule", "PreferNoSchedule"]));
            }
        }
    }

    private static void ValidatePodSpec(V1PodSpec? spec, string path, List<FieldError> errors)
    {
        if (spec is null)
        {
            errors.Add(FieldError.Required(path.Child("containers")));
            return;
        }

        var volumes = ValidateVolumes(spec.Volumes, path.Child("volumes"), errors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        ValidateContainers(spec.InitContainers, path.Child("initContainers"), init: true, names, volumes, errors);
        if (spec.Containers is null || spec.Containers.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("containers")));
        }
        else
        {
            ValidateContainers(spec.Containers, path.Child("containers"), init: false, names, volumes, errors);
        }

        if (string.IsNullOrEmpty(spec.RestartPolicy))
        {
            errors.Add(FieldError.Required(path.Child("restartPolicy")));
        }
        else if (!RestartPolicies.Contains(spec.RestartPolicy, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported(path.Child("restartPolicy"), spec.RestartPolicy, RestartPolicies));
        }

        if (!string.IsNullOrEmpty(spec.DnsPolicy) && !DnsPolicies.Contains(spec.DnsPolicy, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported(path.Child("dnsPolicy"), spec.DnsPolicy, DnsPolicies));
        }

        if (spec.ActiveDeadlineSeconds is { } deadline && deadline is < 1 or > int.MaxValue)
        {
            errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), deadline, NameValidation.InclusiveRangeError(1, int.MaxValue)));
        }

        if (!string.IsNullOrEmpty(spec.NodeName))
        {
            errors.AddRange(NameValidation.IsDns1123Subdomain(spec.NodeName).Select(m => FieldError.Invalid(path.Child("nodeName"), spec.NodeName, m)));
        }

        if (!string.IsNullOrEmpty(spec.ServiceAccountName))
        {
            errors.AddRange(NameValidation.IsDns1123Subdomain(spec.ServiceAccountName).Select(m => FieldError.Invalid(path.Child("serviceAccountName"), spec.ServiceAccountName, m)));
        }

        ValidateTolerations(spec.Tolerations, path.Child("tolerations"), errors);
        NodeAffinityValidation.Validate(spec.Affinity, path.Child("affinity"), errors);
    }

    private static void ValidateOwnerRules(V1PodSpec spec, string path, PodTemplateRules rules, List<FieldError> errors)
    {
        var allowed = rules.AllowedRestartPolicies;
        var policy = spec.RestartPolicy ?? string.Empty;
        if (allowed.Count > 0 && !allowed.Contains(policy, StringComparer.Ordinal))
        {
            if (policy is "" or "Always" && !allowed.Contains("Always", StringComparer.Ordinal))
            {
                errors.Add(FieldError.Required(path.Child("restartPolicy"), "valid values: " + string.Join(", ", allowed.Select(FieldError.GoQuote))));
            }
            else
            {
                errors.Add(FieldError.NotSupported(path.Child("restartPolicy"), policy, allowed));
            }
        }

        if (rules.ForbidActiveDeadlineSeconds && spec.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldError.Forbidden(path.Child("activeDeadlineSeconds"), $"activeDeadlineSeconds in {rules.OwnerKind} is not Supported"));
        }
    }

    private static HashSet<string> ValidateVolumes(IList<V1Volume>? volumes, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var volume in volumes ?? [])
        {
            var at = path.Index(i++).Child("name");
            if (string.IsNullOrEmpty(volume.Name))
            {
                errors.Add(FieldError.Required(at));
            }
            else if (NameValidation.IsDns1123Label(volume.Name) is { Count: > 0 } messages)
            {
                errors.AddRange(messages.Select(m => FieldError.Invalid(at, volume.Name, m)));
            }
            else if (!names.Add(volume.Name))
            {
                errors.Add(FieldError.Duplicate(at, volume.Name));
            }

            VolumeValidation.ValidateSource(volume, path.Index(i - 1), errors);
        }

        return names;
    }

    private static void ValidateContainers(IList<V1Container>? containers, string path, bool init, HashSet<string> names, HashSet<string> volumes, List<FieldError> errors)
    {
        var i = 0;
        foreach (var container in containers ?? [])
        {
            var at = path.Index(i++);
            if (string.IsNullOrEmpty(container.Name))
            {
                errors.Add(FieldError.Required(at.Child("name")));
            }
            else
            {
                errors.AddRange(NameValidation.IsDns1123Label(container.Name).Select(m => FieldError.Invalid(at.Child("name"), container.Name, m)));
            }

            if (!string.IsNullOrEmpty(container.Name) && !names.Add(container.Name))
            {
                errors.Add(FieldError.Duplicate(at.Child("name"), container.Name));
            }

            if (string.IsNullOrEmpty(container.Image))
            {
                errors.Add(FieldError.Required(at.Child("image")));
            }

            if (init)
            {
                if (container.RestartPolicy is { } policy && policy != "Always")
                {
                    errors.Add(FieldError.NotSupported(at.Child("restartPolicy"), policy, ["Always"]));
                }
            }
            else if (container.RestartPolicy is not null)
            {
                errors.Add(FieldError.Forbidden(at.Child("restartPolicy"), "may not be set for non-init containers"));
            }

            if (string.IsNullOrEmpty(container.TerminationMessagePolicy))
            {
                errors.Add(FieldError.Required(at.Child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'"));
            }
            else if (!TerminationMessagePolicies.Contains(container.TerminationMessagePolicy, StringComparer.Ordinal))
            {
                errors.Add(FieldError.NotSupported(at.Child("terminationMessagePolicy"), container.TerminationMessagePolicy, TerminationMessagePolicies));
            }

            if (string.IsNullOrEmpty(container.ImagePullPolicy))
            {
                errors.Add(FieldError.Required(at.Child("imagePullPolicy")));
            }
            else if (!PullPolicies.Contains(container.ImagePullPolicy, StringComparer.Ordinal))
            {
                errors.Add(FieldError.NotSupported(at.Child("imagePullPolicy"), container.ImagePullPolicy, PullPolicies));
            }

            ValidatePorts(container.Ports, at.Child("ports"), errors);
            ValidateProbes(container, at, init && container.RestartPolicy != "Always", errors);
            ValidateEnv(container.Env, at.Child("env"), errors);
            ValidateMounts(container.VolumeMounts, at.Child("volumeMounts"), volumes, errors);
            ValidateResources(container.Resources, at.Child("resources"), errors);
        }
    }

    /// <summary>
    /// Checks a container's probes (<c>validateLivenessProbe</c>, <c>validateReadinessProbe</c>, <c>validateStartupProbe</c>):
    /// forbidden on init containers that are not sidecars; exactly one handler; no negative number; successThreshold 1
    /// for liveness and startup; a probe's terminationGracePeriodSeconds positive, and not on a readiness probe.
    /// </summary>
    private static void ValidateProbes(V1Container container, string path, bool plainInit, List<FieldError> errors)
    {
        var probes = new (string Field, V1Probe? Probe)[]
        {
            ("livenessProbe", container.LivenessProbe), ("readinessProbe", container.ReadinessProbe), ("startupProbe", container.StartupProbe),
        };
        foreach (var (field, probe) in probes)
        {
            if (probe is null)
            {
                continue;
            }

            var at = path.Child(field);
            if (plainInit)
            {
                errors.Add(FieldError.Forbidden(at, "may not be set for init containers without restartPolicy=Always"));
                continue;
            }

            ValidateProbeHandler(probe, at, errors);
            NonNegative(probe.InitialDelaySeconds, at.Child("initialDelaySeconds"), errors);
            NonNegative(probe.TimeoutSeconds, at.Child("timeoutSeconds"), errors);
            NonNegative(probe.PeriodSeconds, at.Child("periodSeconds"), errors);
            NonNegative(probe.SuccessThreshold, at.Child("successThreshold"), errors);
            NonNegative(probe.FailureThreshold, at.Child("failureThreshold"), errors);
            if (probe.TerminationGracePeriodSeconds is { } grace and <= 0)
            {
                errors.Add(FieldError.Invalid(at.Child("terminationGracePeriodSeconds"), grace, "must be greater than 0"));
            }

            if (field == "readinessProbe")
            {
                if (probe.TerminationGracePeriodSeconds is { } readinessGrace)
                {
                    errors.Add(FieldError.Invalid(at.Child("terminationGracePeriodSeconds"), readinessGrace, "must not be set for readinessProbes"));
                }
            }
            else if ((probe.SuccessThreshold ?? 1) != 1)
            {
                errors.Add(FieldError.Invalid(at.Child("successThreshold"), probe.SuccessThreshold, "must be 1"));
            }
        }
    }

    private static readonly string[] HttpSchemes = ["HTTP", "HTTPS"];

    private static void ValidateProbeHandler(V1Probe probe, string path, List<FieldError> errors)
    {
        var handlers = 0;
        void One(object? handler, string field, Action<string> validate)
        {
            if (handler is null)
            {
                return;
            }

            if (handlers++ > 0)
            {
                errors.Add(FieldError.Forbidden(path.Child(field), "may not specify more than 1 handler type"));
                return;
            }

            validate(path.Child(field));
        }

        One(probe.Exec, "exec", at =>
        {
            if (probe.Exec.Command is not { Count: > 0 })
            {
                errors.Add(FieldError.Required(at.Child("command")));
            }
        });
        One(probe.HttpGet, "httpGet", at =>
        {
            if (string.IsNullOrEmpty(probe.HttpGet.Path))
            {
                errors.Add(FieldError.Required(at.Child("path")));
            }

            ValidatePortNumOrName(probe.HttpGet.Port, at.Child("port"), errors);
            if (!HttpSchemes.Contains(probe.HttpGet.Scheme, StringComparer.Ordinal))
            {
                errors.Add(FieldError.NotSupported(at.Child("scheme"), probe.HttpGet.Scheme ?? string.Empty, HttpSchemes));
            }

            foreach (var header in probe.HttpGet.HttpHeaders ?? [])
            {
                if (string.IsNullOrEmpty(header.Name) || !header.Name.All(IsTokenChar))
                {
                    errors.Add(FieldError.Invalid(at.Child("httpHeaders"), header.Name ?? string.Empty, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
                }
            }
        });
        One(probe.TcpSocket, "tcpSocket", at => ValidatePortNumOrName(probe.TcpSocket.Port, at.Child("port"), errors));
        One(probe.Grpc, "grpc", at =>
        {
            errors.AddRange(NameValidation.IsValidPortNumber(probe.Grpc.Port).Select(m => FieldError.Invalid(at.Child("port"), probe.Grpc.Port, m)));
        });
        if (handlers == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a handler type"));
        }
    }

    private static bool IsTokenChar(char c) => c is '-' || char.IsAsciiLetterOrDigit(c);

    private static void ValidatePortNumOrName(IntOrString? port, string path, List<FieldError> errors)
    {
        var value = port?.Value ?? string.Empty;
        if (int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            errors.AddRange(NameValidation.IsValidPortNumber(number).Select(m => FieldError.Invalid(path, number, m)));
        }
        else
        {
            errors.AddRange(NameValidation.IsValidPortName(value).Select(m => FieldError.Invalid(path, value, m)));
        }
    }

    private static void NonNegative(int? value, string path, List<FieldError> errors)
    {
        if (value is < 0)
        {
            errors.Add(FieldError.Invalid(path, value, "must be greater than or equal to 0"));
        }
    }

    private static void ValidatePorts(IList<V1ContainerPort>? ports, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var port in ports ?? [])
        {
            var at = path.Index(i++);
            if (!string.IsNullOrEmpty(port.Name))
            {
                if (NameValidation.IsValidPortName(port.Name) is { Count: > 0 } messages)
                {
                    errors.AddRange(messages.Select(m => FieldError.Invalid(at.Child("name"), port.Name, m)));
                }
                else if (!names.Add(port.Name))
                {
                    errors.Add(FieldError.Duplicate(at.Child("name"), port.Name));
                }
            }

            if (port.ContainerPort == 0)
            {
                errors.Add(FieldError.Required(at.Child("containerPort")));
            }
            else
            {
                errors.AddRange(NameValidation.IsValidPortNumber(port.ContainerPort).Select(m => FieldError.Invalid(at.Child("containerPort"), port.ContainerPort, m)));
            }

            if (port.HostPort is { } hostPort and not 0)
            {
                errors.AddRange(NameValidation.IsValidPortNumber(hostPort).Select(m => FieldError.Invalid(at.Child("hostPort"), hostPort, m)));
            }

            if (string.IsNullOrEmpty(port.Protocol))
            {
                errors.Add(FieldError.Required(at.Child("protocol")));
            }
            else if (!Protocols.Contains(port.Protocol, StringComparer.Ordinal))
            {
                errors.Add(FieldError.NotSupported(at.Child("protocol"), port.Protocol, Protocols));
            }
        }
    }

    internal static void ValidateEnv(IList<V1EnvVar>? env, string path, List<FieldError> errors)
    {
        var i = 0;
        foreach (var variable in env ?? [])
        {
            var at = path.Index(i++).Child("name");
            if (string.IsNullOrEmpty(variable.Name))
            {
                errors.Add(FieldError.Required(at));
            }
            else if (variable.Name.Any(c => c is < ' ' or > '~' or '='))
            {
                errors.Add(FieldError.Invalid(at, variable.Name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
            }

            if (variable.ValueFrom is { } from)
            {
                DownwardApiValidation.ValidateEnvSource(from, path.Index(i - 1).Child("valueFrom"), !string.IsNullOrEmpty(variable.Value), errors);
            }
        }
    }

    internal static void ValidateMounts(IList<V1VolumeMount>? mounts, string path, HashSet<string> volumes, List<FieldError> errors)
    {
        var i = 0;
        var mountPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in mounts ?? [])
        {
            var at = path.Index(i++);
            if (string.IsNullOrEmpty(mount.Name))
            {
                errors.Add(FieldError.Required(at.Child("name")));
            }
            else if (!volumes.Contains(mount.Name))
            {
                errors.Add(FieldError.NotFound(at.Child("name"), mount.Name));
            }

            if (string.IsNullOrEmpty(mount.MountPath))
            {
                errors.Add(FieldError.Required(at.Child("mountPath")));
            }
            else if (!mountPaths.Add(mount.MountPath))
            {
                errors.Add(FieldError.Invalid(at.Child("mountPath"), mount.MountPath, "must be unique"));
            }

            VolumeValidation.ValidateSubPath(mount, at, errors);
        }
    }

    private static void ValidateResources(V1ResourceRequirements? resources, string path, List<FieldError> errors)
    {
        if (resources?.Requests is null)
        {
            return;
        }

        foreach (var name in CpuAndMemory)
        {
            if (resources.Requests.TryGetValue(name, out var request) && resources.Limits is not null
                && resources.Limits.TryGetValue(name, out var limit) && request.ToDecimal() > limit.ToDecimal())
            {
                errors.Add(FieldError.Invalid(path.Child("requests"), request.ToString(), $"must be less than or equal to {name} limit of {limit}"));
            }
        }
    }
}
