using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class PodValidationTests
{
    public static TheoryData<string, Action<V1Pod>, string[]> Cases => new()
    {
        { "valid", _ => { }, [] },
        { "no containers", p => p.Spec.Containers = [], ["spec.containers: Required value"] },
        { "no image", p => p.Spec.Containers[0].Image = null, ["spec.containers[0].image: Required value"] },
        { "no name", p => p.Spec.Containers[0].Name = null, ["spec.containers[0].name: Required value"] },
        {
            "bad container name", p => p.Spec.Containers[0].Name = "App_1",
            ["spec.containers[0].name: Invalid value: \"App_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
        },
        {
            "duplicate container", p => p.Spec.Containers.Add(new V1Container { Name = "app", Image = "b", TerminationMessagePolicy = "File", ImagePullPolicy = "Always" }),
            ["spec.containers[1].name: Duplicate value: \"app\""]
        },
        {
            "init and app container share a name", p => p.Spec.InitContainers = [new V1Container { Name = "app", Image = "b", TerminationMessagePolicy = "File", ImagePullPolicy = "Always" }],
            ["spec.containers[0].name: Duplicate value: \"app\""]
        },
        {
            "port out of range", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 70000, Protocol = "TCP" }],
            ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]
        },
        {
            "port missing", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { Protocol = "TCP" }],
            ["spec.containers[0].ports[0].containerPort: Required value"]
        },
        {
            "bad protocol", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Protocol = "ICMP" }],
            ["spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""]
        },
        {
            "duplicate port name", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { Name = "http", ContainerPort = 80, Protocol = "TCP" }, new V1ContainerPort { Name = "http", ContainerPort = 81, Protocol = "TCP" }],
            ["spec.containers[0].ports[1].name: Duplicate value: \"http\""]
        },
        {
            "bad restart policy", p => p.Spec.RestartPolicy = "Sometimes",
            ["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\""]
        },
        {
            "bad pull policy", p => p.Spec.Containers[0].ImagePullPolicy = "Maybe",
            ["spec.containers[0].imagePullPolicy: Unsupported value: \"Maybe\": supported values: \"Always\", \"IfNotPresent\", \"Never\""]
        },
        {
            "mount of an unknown volume", p => p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }],
            ["spec.containers[0].volumeMounts[0].name: Not found: \"data\""]
        },
        {
            "active deadline zero", p => p.Spec.ActiveDeadlineSeconds = 0,
            ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"]
        },
        {
            "restart policy on an app container", p => p.Spec.Containers[0].RestartPolicy = "Always",
            ["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"]
        },
        {
            "request above limit", p => p.Spec.Containers[0].Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") },
            },
            ["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValidateSpec_reports_what_the_api_server_reports(string name, Action<V1Pod> change, string[] expected)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pod = ValidPod();
        change(pod);

        var errors = PodValidation.ValidateSpec(pod).Select(e => e.ToString()).ToArray();

        Assert.True(expected.SequenceEqual(errors), $"{name}: got [{string.Join(", ", errors)}]");
    }

    internal static V1Pod ValidPod()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        };
        PodDefaults.Apply(pod);
        return pod;
    }
}
