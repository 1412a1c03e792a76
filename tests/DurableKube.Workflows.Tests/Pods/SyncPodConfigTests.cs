using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Workflows.Pods;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>SyncPod reads the ConfigMaps and Secrets a pod names and gives the runtime their values and files.</summary>
public sealed class SyncPodConfigTests
{
    private readonly SyncPodHarness _sync = new();

    private async Task<PodLifecycleState> PodAsync(Action<V1Pod> change)
    {
        await _sync.StoreNodeAsync();
        var pod = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-web" },
            Spec = new V1PodSpec { NodeName = "node-1", RestartPolicy = "Always", EnableServiceLinks = false, Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "60"] }] },
            Status = new V1PodStatus { Phase = "Pending" },
        };
        change(pod);
        pod = (V1Pod)await _sync.Store.CreateAsync(ResourceTypes.Pods, pod);
        return PodLifecycle.Apply(PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes), [new PodBound("node-1")]);
    }

    private async Task NamespaceAsync()
    {
        if (await _sync.Store.GetAsync(new Ports.Store.ObjectKey(ResourceTypes.Namespaces, null, "default")) is null)
        {
            await _sync.Store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "default", Uid = "ns-default" } });
        }
    }

    private async Task CreateAsync(V1ConfigMap configMap)
    {
        await NamespaceAsync();
        await _sync.Registry().CreateAsync(ResourceTypes.ConfigMaps, configMap);
    }

    private async Task CreateAsync(V1Secret secret)
    {
        await NamespaceAsync();
        await _sync.Registry().CreateAsync(ResourceTypes.Secrets, secret);
    }

    [Fact]
    public async Task A_container_gets_its_configmap_and_secret_values_and_the_secret_names_are_marked()
    {
        await CreateAsync(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["mode"] = "fast" } });
        await CreateAsync(new V1Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "default" }, StringData = new Dictionary<string, string> { ["password"] = "pw" } });
        var state = await PodAsync(p => p.Spec.Containers[0].Env =
        [
            new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "app", Key = "mode" } } },
            new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "db", Key = "password" } } },
        ]);

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new CreateSandbox(), new StartContainer("app", 0)]));

        Assert.IsType<ContainerStarted>(result.Outcomes[^1]);
        var launch = Assert.Single(_sync.Runtime.Launches);
        Assert.Equal([new("MODE", "fast"), new("PASSWORD", "pw")], launch.Environment);
        Assert.Equal(["PASSWORD"], launch.SecretEnvironment);
    }

    [Fact]
    public async Task A_missing_configmap_is_CreateContainerConfigError_retried_after_ConfigRetry_and_the_status_says_so()
    {
        var state = await PodAsync(p => p.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "later" } }]);
        var before = DateTimeOffset.UtcNow;

        var result = await _sync.Activity(new KubeletOptions { ConfigRetry = TimeSpan.FromSeconds(7) }).RunAsync(new SyncPodRequest(state, [new CreateSandbox(), new StartContainer("app", 0)]));

        var notCreated = Assert.IsType<ContainerNotCreated>(result.Outcomes[^1]);
        Assert.Equal("configmap \"later\" not found", notCreated.Error.Message);
        Assert.InRange(notCreated.RetryAt!.Value, before.AddSeconds(7), DateTimeOffset.UtcNow.AddSeconds(7));
        var pod = (V1Pod)(await _sync.Store.GetAsync(new Ports.Store.ObjectKey(ResourceTypes.Pods, "default", "web")))!;
        Assert.Equal(("CreateContainerConfigError", "configmap \"later\" not found"), (pod.Status.ContainerStatuses[0].State.Waiting.Reason, pod.Status.ContainerStatuses[0].State.Waiting.Message));
    }

    [Fact]
    public async Task Volumes_reach_the_sandbox_as_files_and_mounts_are_read_only()
    {
        await CreateAsync(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["k"] = "v" } });
        var state = await PodAsync(p =>
        {
            p.Spec.Volumes = [new V1Volume { Name = "conf", ConfigMap = new V1ConfigMapVolumeSource { Name = "app" } }, new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }];
            p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "conf", MountPath = "/etc/app" }, new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }];
        });

        await _sync.Activity().RunAsync(new SyncPodRequest(state, [new CreateSandbox(), new StartContainer("app", 0)]));

        var spec = Assert.Single(_sync.Runtime.Sandboxes);
        Assert.Equal(["conf:Files", "tmp:EmptyDir"], spec.Volumes.Select(v => $"{v.Name}:{v.Kind}"));
        Assert.Equal("k", Assert.Single(spec.Volumes[0].Files).Path);
        Assert.Equal([new VolumeMountSpec("conf", "/etc/app", true), new VolumeMountSpec("tmp", "/tmp", false)], Assert.Single(_sync.Runtime.Launches).VolumeMounts);
    }

    [Fact]
    public async Task A_missing_secret_volume_holds_a_container_scoped_pod_with_FailedMount()
    {
        _sync.Runtime.OnCreateSandbox = _ => throw new InvalidOperationException("the sandbox must not be created");
        var state = await PodAsync(p => p.Spec.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db" } }]);

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new CreateSandbox(), new StartContainer("app", 0)]));

        var pending = Assert.IsType<SandboxPending>(Assert.Single(result.Outcomes));
        Assert.False(pending.PodScoped);
        Assert.Equal(("FailedMount", "MountVolume.SetUp failed for volume \"creds\" : secret \"db\" not found"), (pending.Wait.Reason, pending.Wait.Message));
        var pod = (V1Pod)(await _sync.Store.GetAsync(new Ports.Store.ObjectKey(ResourceTypes.Pods, "default", "web")))!;
        Assert.Equal("ContainerCreating", pod.Status.ContainerStatuses[0].State.Waiting.Reason);
    }

    [Fact]
    public async Task A_nested_item_path_on_a_pod_scoped_runtime_is_FailedMount_saying_why()
    {
        _sync.Runtime.Scope = SandboxScope.Pod;
        _sync.Runtime.OnCreateSandbox = _ => throw new InvalidOperationException("the sandbox must not be created");
        await CreateAsync(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["k"] = "v" } });
        var state = await PodAsync(p => p.Spec.Volumes = [new V1Volume { Name = "conf", ConfigMap = new V1ConfigMapVolumeSource { Name = "app", Items = [new V1KeyToPath { Key = "k", Path = "dir/k" }] } }]);

        var result = await _sync.Activity().RunAsync(new SyncPodRequest(state, [new CreateSandbox()]));

        var pending = Assert.IsType<SandboxPending>(Assert.Single(result.Outcomes));
        Assert.Equal(
            "MountVolume.SetUp failed for volume \"conf\" : the fake runtime places a volume's files at its root only, and \"dir/k\" is in a directory; give the item a path without '/'",
            pending.Wait.Message);
    }

    [Fact]
    public async Task Pull_secrets_become_credentials_and_a_missing_one_is_skipped()
    {
        await CreateAsync(new V1Secret
        {
            ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "reg", NamespaceProperty = "default" }, Type = "kubernetes.io/dockerconfigjson",
            StringData = new Dictionary<string, string> { [".dockerconfigjson"] = """{"auths":{"r.example":{"username":"u","password":"p"}}}""" },
        });
        var state = await PodAsync(p => p.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = "missing" }, new V1LocalObjectReference { Name = "reg" }]);

        await _sync.Activity().RunAsync(new SyncPodRequest(state, [new CreateSandbox()]));

        Assert.Equal([new ImagePullCredential("r.example", "u", "p")], Assert.Single(_sync.Runtime.Sandboxes).PullCredentials);
    }
}
