namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>
/// Field tables (k8s.io/api apps/v1 and core/v1 generated.proto) of the part of a workload that
/// <c>kubectl create deployment NAME --image=... [--port=...] [--replicas=...] [-- COMMAND ...]</c> sends as protobuf:
/// the spec's replicas, selector and strategy type, and a pod template whose containers have a name, an image, a command,
/// args and ports. Other fields are not decoded (kubectl's generator sets none of them).
/// </summary>
public static class ProtoWorkloads
{
    /// <summary>Gets <c>metav1.LabelSelector</c>.</summary>
    public static IReadOnlyDictionary<int, ProtoField> LabelSelector { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("matchLabels", ProtoKind.StringMap),
        [2] = new("matchExpressions", ProtoKind.RepeatedMessage, new Dictionary<int, ProtoField>
        {
            [1] = new("key", ProtoKind.String),
            [2] = new("operator", ProtoKind.String),
            [3] = new("values", ProtoKind.RepeatedString),
        }),
    };

    /// <summary>Gets <c>v1.Container</c>: name, image, command, args, workingDir, ports, imagePullPolicy.</summary>
    public static IReadOnlyDictionary<int, ProtoField> Container { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("name", ProtoKind.String),
        [2] = new("image", ProtoKind.String),
        [3] = new("command", ProtoKind.RepeatedString),
        [4] = new("args", ProtoKind.RepeatedString),
        [5] = new("workingDir", ProtoKind.String),
        [6] = new("ports", ProtoKind.RepeatedMessage, new Dictionary<int, ProtoField>
        {
            [1] = new("name", ProtoKind.String),
            [2] = new("hostPort", ProtoKind.Int64),
            [3] = new("containerPort", ProtoKind.Int64),
            [4] = new("protocol", ProtoKind.String),
            [5] = new("hostIP", ProtoKind.String),
        }),
        [14] = new("imagePullPolicy", ProtoKind.String),
    };

    /// <summary>Gets <c>v1.PodTemplateSpec</c>: its metadata and a pod spec with containers.</summary>
    public static IReadOnlyDictionary<int, ProtoField> PodTemplateSpec { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("metadata", ProtoKind.Message, ProtoMessages.ObjectMeta),
        [2] = new("spec", ProtoKind.Message, new Dictionary<int, ProtoField> { [2] = new("containers", ProtoKind.RepeatedMessage, Container) }),
    };

    /// <summary>Gets <c>apps/v1.Deployment</c>.</summary>
    public static IReadOnlyDictionary<int, ProtoField> Deployment { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("metadata", ProtoKind.Message, ProtoMessages.ObjectMeta),
        [2] = new("spec", ProtoKind.Message, new Dictionary<int, ProtoField>
        {
            [1] = new("replicas", ProtoKind.Int64, Optional: true),
            [2] = new("selector", ProtoKind.Message, LabelSelector),
            [3] = new("template", ProtoKind.Message, PodTemplateSpec),
            [4] = new("strategy", ProtoKind.Message, new Dictionary<int, ProtoField> { [1] = new("type", ProtoKind.String) }),
            [5] = new("minReadySeconds", ProtoKind.Int64),
            [6] = new("revisionHistoryLimit", ProtoKind.Int64, Optional: true),
            [7] = new("paused", ProtoKind.Bool),
            [9] = new("progressDeadlineSeconds", ProtoKind.Int64, Optional: true),
        }),
    };
}
