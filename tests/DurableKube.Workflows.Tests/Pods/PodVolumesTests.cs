using System.Text;
using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Runtime;
using DurableKube.Workflows.Pods;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>The kubelet's volume manager as a pure function: a pod's volumes into what the runtime provides.</summary>
public sealed class PodVolumesTests
{
    private static readonly ConfigSources Sources = new(
        new Dictionary<string, V1ConfigMap>
        {
            ["app"] = new()
            {
                Metadata = new V1ObjectMeta { Name = "app" },
                Data = new Dictionary<string, string> { ["b.conf"] = "B", ["a.conf"] = "A" },
                BinaryData = new Dictionary<string, byte[]> { ["blob"] = [0xff] },
            },
        },
        new Dictionary<string, V1Secret>
        {
            ["tls"] = new() { Metadata = new V1ObjectMeta { Name = "tls" }, Data = new Dictionary<string, byte[]> { ["tls.crt"] = "CRT"u8.ToArray(), ["tls.key"] = "KEY"u8.ToArray() } },
        });

    private static V1Pod Pod(params V1Volume[] volumes) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web", NamespaceProperty = "shop", Uid = "u-1",
            Labels = new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" },
            Annotations = new Dictionary<string, string> { ["note"] = "say \"hi\"" },
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            Containers = [new V1Container { Name = "app", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") } } }],
            Volumes = volumes,
        },
    };

    private static SandboxVolume One(V1Volume volume, bool allowHostPath = true)
    {
        var result = PodVolumes.Resolve(Pod(volume), Sources, allowHostPath);
        Assert.Null(result.Failure);
        return Assert.Single(result.Volumes);
    }

    private static string Failure(V1Volume volume, bool allowHostPath = true) => PodVolumes.Resolve(Pod(volume), Sources, allowHostPath).Failure!;

    private static string[] Listing(SandboxVolume volume) =>
        volume.Files.Select(f => $"{f.Path}:{Convert.ToString(f.Mode, 8)}:{Encoding.UTF8.GetString(f.Content)}").ToArray();

    [Fact]
    public void An_emptyDir_keeps_its_medium_and_size_limit()
    {
        var volume = One(new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } });

        Assert.Equal((SandboxVolumeKind.EmptyDir, true, 1048576L), (volume.Kind, volume.InMemory, volume.SizeLimitBytes));
    }

    [Fact]
    public void A_configmap_gives_every_key_as_a_file_with_mode_0644()
    {
        var volume = One(new V1Volume { Name = "conf", ConfigMap = new V1ConfigMapVolumeSource { Name = "app" } });

        Assert.Equal(SandboxVolumeKind.Files, volume.Kind);
        Assert.False(volume.Sensitive);
        Assert.Equal(["a.conf:644:A", "b.conf:644:B", "blob:644:\uFFFD"], Listing(volume));
    }

    [Fact]
    public void Items_choose_keys_paths_and_modes_and_defaultMode_applies_to_the_rest()
    {
        var volume = One(new V1Volume
        {
            Name = "conf",
            ConfigMap = new V1ConfigMapVolumeSource
            {
                Name = "app",
                DefaultMode = Convert.ToInt32("400", 8),
                Items = [new V1KeyToPath { Key = "a.conf", Path = "etc/a.conf" }, new V1KeyToPath { Key = "b.conf", Path = "b", Mode = Convert.ToInt32("755", 8) }],
            },
        });

        Assert.Equal(["etc/a.conf:400:A", "b:755:B"], Listing(volume));
    }

    [Fact]
    public void A_secret_volume_is_sensitive()
    {
        var volume = One(new V1Volume { Name = "certs", Secret = new V1SecretVolumeSource { SecretName = "tls" } });

        Assert.True(volume.Sensitive);
        Assert.Equal(["tls.crt:644:CRT", "tls.key:644:KEY"], Listing(volume));
    }

    public static TheoryData<V1Volume, string> Failures => new()
    {
        { new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "nope" } }, "MountVolume.SetUp failed for volume \"v\" : configmap \"nope\" not found" },
        { new V1Volume { Name = "v", Secret = new V1SecretVolumeSource { SecretName = "nope" } }, "MountVolume.SetUp failed for volume \"v\" : secret \"nope\" not found" },
        {
            new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "app", Items = [new V1KeyToPath { Key = "k", Path = "k" }] } },
            "MountVolume.SetUp failed for volume \"v\" : configmap references non-existent config key: k"
        },
        {
            new V1Volume { Name = "v", Secret = new V1SecretVolumeSource { SecretName = "tls", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca" }] } },
            "MountVolume.SetUp failed for volume \"v\" : references non-existent secret key: ca.crt"
        },
        {
            new V1Volume { Name = "v", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token" } }] } },
            "MountVolume.SetUp failed for volume \"v\" : projected volume source serviceAccountToken is not served by DurableKube"
        },
        {
            new V1Volume { Name = "v", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "data" } },
            "MountVolume.SetUp failed for volume \"v\" : this node provides emptyDir, configMap, secret, downwardAPI, projected and hostPath volumes; volume \"v\" is of another kind"
        },
        {
            new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "app", Items = [new V1KeyToPath { Key = "a.conf", Path = "../escape" }] } },
            "MountVolume.SetUp failed for volume \"v\" : invalid path \"../escape\": must be a relative path without '..'"
        },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void What_cannot_be_set_up_fails_with_the_kubelets_FailedMount(V1Volume volume, string message) => Assert.Equal(message, Failure(volume));

    [Fact]
    public void An_optional_missing_object_gives_an_empty_volume_and_optional_missing_keys_are_left_out()
    {
        var empty = One(new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "nope", Optional = true } });
        var partial = One(new V1Volume
        {
            Name = "w",
            Secret = new V1SecretVolumeSource { SecretName = "tls", Optional = true, Items = [new V1KeyToPath { Key = "tls.key", Path = "key" }, new V1KeyToPath { Key = "ca", Path = "ca" }] },
        });

        Assert.Empty(empty.Files);
        Assert.Equal(["key:644:KEY"], Listing(partial));
    }

    [Fact]
    public void The_downward_API_writes_fields_maps_as_sorted_quoted_lines_and_resources()
    {
        var volume = One(new V1Volume
        {
            Name = "info",
            DownwardAPI = new V1DownwardAPIVolumeSource
            {
                Items =
                [
                    new V1DownwardAPIVolumeFile { Path = "name", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } },
                    new V1DownwardAPIVolumeFile { Path = "ns", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } },
                    new V1DownwardAPIVolumeFile { Path = "uid", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.uid" } },
                    new V1DownwardAPIVolumeFile { Path = "labels", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } },
                    new V1DownwardAPIVolumeFile { Path = "annotations", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.annotations" } },
                    new V1DownwardAPIVolumeFile { Path = "tier", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['tier']" } },
                    new V1DownwardAPIVolumeFile
                    {
                        Path = "mem", Mode = Convert.ToInt32("600", 8),
                        ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "app", Resource = "limits.memory", Divisor = new ResourceQuantity("1Mi") },
                    },
                ],
            },
        });

        Assert.Equal(
            ["name:644:web", "ns:644:shop", "uid:644:u-1", "labels:644:app=\"web\"\ntier=\"front\"", "annotations:644:note=\"say \\\"hi\\\"\"", "tier:644:front", "mem:600:64"],
            Listing(volume));
    }

    [Fact]
    public void A_projected_volume_overlays_its_sources_with_its_defaultMode_and_is_sensitive_with_a_secret()
    {
        var volume = One(new V1Volume
        {
            Name = "all",
            Projected = new V1ProjectedVolumeSource
            {
                DefaultMode = Convert.ToInt32("440", 8),
                Sources =
                [
                    new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "app", Items = [new V1KeyToPath { Key = "a.conf", Path = "conf/a" }] } },
                    new V1VolumeProjection { Secret = new V1SecretProjection { Name = "tls", Items = [new V1KeyToPath { Key = "tls.crt", Path = "cert" }] } },
                    new V1VolumeProjection { Secret = new V1SecretProjection { Name = "absent", Optional = true } },
                    new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "name", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } }] } },
                ],
            },
        });

        Assert.True(volume.Sensitive);
        Assert.Equal(["conf/a:440:A", "cert:440:CRT", "name:440:web"], Listing(volume));
    }

    [Fact]
    public void A_hostPath_is_passed_on_where_allowed_and_refused_where_not()
    {
        var hostPath = new V1Volume { Name = "logs", HostPath = new V1HostPathVolumeSource { Path = "/var/log", Type = "Directory" } };

        var volume = One(hostPath);

        Assert.Equal((SandboxVolumeKind.HostPath, "/var/log", "Directory"), (volume.Kind, volume.HostPath, volume.HostPathType));
        Assert.Equal(
            "MountVolume.SetUp failed for volume \"logs\" : hostPath volumes are not allowed on this node (Kubelet__AllowHostPath=false)",
            Failure(hostPath, allowHostPath: false));
    }

    [Fact]
    public void Mounts_of_files_are_read_only_and_subPathExpr_expands_from_the_environment()
    {
        var pod = Pod(new V1Volume { Name = "conf", ConfigMap = new V1ConfigMapVolumeSource { Name = "app" } }, new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() });
        var resolved = new ResolvedContainer(["true"], [new("POD", "web")], null);

        var files = ContainerLaunches.Mount(pod, new V1VolumeMount { Name = "conf", MountPath = "/etc/app", SubPath = "a.conf" }, resolved);
        var scratch = ContainerLaunches.Mount(pod, new V1VolumeMount { Name = "scratch", MountPath = "/data", SubPathExpr = "logs/$(POD)" }, resolved);

        Assert.Equal(new VolumeMountSpec("conf", "/etc/app", true) { SubPath = "a.conf" }, files);
        Assert.Equal(new VolumeMountSpec("scratch", "/data", false) { SubPath = "logs/web" }, scratch);
    }

    [Fact]
    public void Pull_credentials_come_from_dockerconfigjson_and_dockercfg_secrets_and_missing_ones_are_named()
    {
        var auth = Convert.ToBase64String("bob:pw2"u8.ToArray());
        var sources = new ConfigSources(
            new Dictionary<string, V1ConfigMap>(),
            new Dictionary<string, V1Secret>
            {
                ["json"] = new()
                {
                    Type = "kubernetes.io/dockerconfigjson",
                    Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes("""{"auths":{"registry.example:5000":{"username":"amy","password":"pw1"}}}""") },
                },
                ["cfg"] = new()
                {
                    Type = "kubernetes.io/dockercfg",
                    Data = new Dictionary<string, byte[]> { [".dockercfg"] = Encoding.UTF8.GetBytes("{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"}}") },
                },
            });
        var pod = Pod();
        pod.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = "json" }, new V1LocalObjectReference { Name = "gone" }, new V1LocalObjectReference { Name = "cfg" }];

        var credentials = ContainerLaunches.PullCredentials(pod, sources, out var missing);

        Assert.Equal([new ImagePullCredential("registry.example:5000", "amy", "pw1"), new ImagePullCredential("index.docker.io", "bob", "pw2")], credentials);
        Assert.Equal(["gone"], missing);
    }
}
