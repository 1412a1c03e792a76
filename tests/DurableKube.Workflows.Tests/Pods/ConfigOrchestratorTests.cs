using System.Text;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>
/// Pods wait for the ConfigMaps and Secrets they name and go on once they appear; a running pod's volumes follow the
/// objects they show. The retry timer is set to an hour, so only the object's creation can wake the pod in time.
/// </summary>
public sealed class ConfigOrchestratorTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync(new() { ["Kubelet:ConfigRetry"] = "01:00:00" });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task CreateConfigMapAsync(string name, string key, string value) => _harness.Registry.CreateAsync(ResourceTypes.ConfigMaps, new V1ConfigMap
    {
        ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" }, Data = new Dictionary<string, string> { [key] = value },
    });

    [Fact]
    public async Task A_pod_waiting_in_CreateContainerConfigError_starts_when_its_configmap_is_created()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        await _harness.CreatePodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "app", Image = "busybox", Command = ["sleep", "3600"],
                        Env = [new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "later", Key = "mode" } } }],
                    },
                ],
            },
        });
        var waiting = await _harness.WaitForPodAsync("web", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State.Waiting?.Reason == "CreateContainerConfigError");
        Assert.Equal("configmap \"later\" not found", waiting.Status.ContainerStatuses.Single().State.Waiting.Message);

        await CreateConfigMapAsync("later", "mode", "fast");

        await _harness.WaitForPodAsync("web", p => p.Status?.Phase == "Running");
        Assert.Equal([new("MODE", "fast")], Assert.Single(_harness.Runtime.Launches).Environment);
    }

    [Fact]
    public async Task A_pod_held_by_FailedMount_gets_its_sandbox_when_the_secret_is_created_and_its_files_follow_changes()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.RunUntilStopped;
        await _harness.CreatePodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "mounts" },
            Spec = new V1PodSpec
            {
                Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db" } }],
                Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "3600"], VolumeMounts = [new V1VolumeMount { Name = "creds", MountPath = "/creds" }] }],
            },
        });
        await _harness.WaitForPodAsync("mounts", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State.Waiting?.Reason == "ContainerCreating");
        Assert.Empty(_harness.Runtime.Sandboxes);

        await _harness.Registry.CreateAsync(ResourceTypes.Secrets, new V1Secret
        {
            ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "default" }, StringData = new Dictionary<string, string> { ["password"] = "one" },
        });
        await _harness.WaitForPodAsync("mounts", p => p.Status?.Phase == "Running");
        var volume = Assert.Single(Assert.Single(_harness.Runtime.Sandboxes).Volumes);
        Assert.Equal("one", Encoding.UTF8.GetString(Assert.Single(volume.Files).Content));

        await _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.Secrets, "default", "db"), obj =>
        {
            ((V1Secret)obj).StringData = new Dictionary<string, string> { ["password"] = "two" };
            return obj;
        }, new UpdateOptions());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_harness.Runtime.VolumeUpdates.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var (_, updated) = Assert.Single(_harness.Runtime.VolumeUpdates);
        Assert.Equal(("creds", true), (updated.Name, updated.Sensitive));
        Assert.Equal("two", Encoding.UTF8.GetString(Assert.Single(updated.Files).Content));
    }
}
