using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public sealed class VolumeValidationTests
{
    private static List<string> Errors(V1Volume[] volumes, params V1VolumeMount[] mounts)
    {
        var pod = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Volumes = volumes, Containers = [new V1Container { Name = "app", Image = "busybox", VolumeMounts = mounts }] },
        };
        PodDefaults.Apply(pod);
        return PodValidation.ValidateSpec(pod).Select(e => e.ToString()).ToList();
    }

    public static TheoryData<V1Volume, string> BadVolumes => new()
    {
        {
            new V1Volume { Name = "v", EmptyDir = new V1EmptyDirVolumeSource(), ConfigMap = new V1ConfigMapVolumeSource { Name = "c" } },
            "spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"
        },
        { new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource() }, "spec.volumes[0].configMap.name: Required value" },
        { new V1Volume { Name = "v", Secret = new V1SecretVolumeSource() }, "spec.volumes[0].secret.secretName: Required value" },
        {
            new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "c", Items = [new V1KeyToPath { Key = "k", Path = "/etc/k" }] } },
            "spec.volumes[0].configMap.items[0].path: Invalid value: \"/etc/k\": must be a relative path"
        },
        {
            new V1Volume { Name = "v", Secret = new V1SecretVolumeSource { SecretName = "s", Items = [new V1KeyToPath { Key = "k", Path = "a/../../k" }] } },
            "spec.volumes[0].secret.items[0].path: Invalid value: \"a/../../k\": must not contain '..'"
        },
        {
            new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "c", Items = [new V1KeyToPath { Key = "k", Path = "..data" }] } },
            "spec.volumes[0].configMap.items[0].path: Invalid value: \"..data\": must not start with '..'"
        },
        {
            new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "c", Items = [new V1KeyToPath { Key = "k", Path = "k", Mode = 1000 }] } },
            "spec.volumes[0].configMap.items[0].mode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive"
        },
    };

    [Theory]
    [MemberData(nameof(BadVolumes))]
    public void Volumes_are_checked_as_the_API_server_checks_them(V1Volume volume, string message) => Assert.Contains(message, Errors([volume]));

    [Fact]
    public void A_volume_naming_no_source_is_an_emptyDir()
    {
        Assert.Empty(Errors([new V1Volume { Name = "v" }]));
    }

    [Fact]
    public void Mounts_name_a_volume_once_per_path_with_a_relative_subPath()
    {
        var errors = Errors(
            [new V1Volume { Name = "v", EmptyDir = new V1EmptyDirVolumeSource() }],
            new V1VolumeMount { Name = "v", MountPath = "/data" },
            new V1VolumeMount { Name = "v", MountPath = "/data", SubPath = "../up" },
            new V1VolumeMount { Name = "w", MountPath = "/other", SubPath = "a", SubPathExpr = "$(X)" });

        Assert.Contains("spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique", errors);
        Assert.Contains("spec.containers[0].volumeMounts[1].subPath: Invalid value: \"../up\": must not contain '..'", errors);
        Assert.Contains("spec.containers[0].volumeMounts[2].name: Not found: \"w\"", errors);
        Assert.Contains("spec.containers[0].volumeMounts[2].subPathExpr: Invalid value: \"$(X)\": subPathExpr and subPath are mutually exclusive", errors);
    }
}
