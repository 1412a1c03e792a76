using System.Text;
using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>env.valueFrom configMapKeyRef/secretKeyRef and envFrom, resolved against a lookup (the kubelet's makeEnvironmentVariables).</summary>
public sealed class ConfigEnvironmentTests
{
    private static readonly ConfigSources Sources = new(
        new Dictionary<string, V1ConfigMap>
        {
            ["app"] = new() { Metadata = new V1ObjectMeta { Name = "app" }, Data = new Dictionary<string, string> { ["mode"] = "fast", ["level"] = "3", ["1st"] = "one" } },
        },
        new Dictionary<string, V1Secret>
        {
            ["db"] = new() { Metadata = new V1ObjectMeta { Name = "db" }, Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cret"), ["user"] = Encoding.UTF8.GetBytes("admin") } },
        });

    private static V1Pod Pod(V1Container container) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "u-1" },
        Spec = new V1PodSpec { Containers = [container] },
    };

    private static V1EnvVar FromConfigMap(string variable, string name, string key, bool? optional = null) =>
        new() { Name = variable, ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = name, Key = key, Optional = optional } } };

    private static V1EnvVar FromSecret(string variable, string name, string key, bool? optional = null) =>
        new() { Name = variable, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = name, Key = key, Optional = optional } } };

    private static (ResolvedContainer? Resolved, ContainerCreateError? Error) Resolve(V1Container container)
    {
        container.Name ??= "app";
        container.Command ??= ["true"];
        ContainerResolver.TryResolve(Pod(container), container, "node-1", null, out var resolved, out var error, config: Sources);
        return (resolved, error);
    }

    public static TheoryData<V1EnvVar, string> MissingSources => new()
    {
        { FromConfigMap("X", "nope", "k"), "configmap \"nope\" not found" },
        { FromConfigMap("X", "app", "nokey"), "couldn't find key nokey in ConfigMap shop/app" },
        { FromSecret("X", "nope", "k"), "secret \"nope\" not found" },
        { FromSecret("X", "db", "nokey"), "couldn't find key nokey in Secret shop/db" },
    };

    [Theory]
    [MemberData(nameof(MissingSources))]
    public void A_missing_object_or_key_holds_the_container_with_the_kubelets_message_until_it_appears(V1EnvVar variable, string message)
    {
        var (_, error) = Resolve(new V1Container { Env = [variable] });

        Assert.Equal(ContainerCreateError.ConfigErrorReason, error!.Reason);
        Assert.Equal(message, error.Message);
        Assert.True(error.WaitsForObject);
    }

    [Theory]
    [MemberData(nameof(MissingSources))]
    public void An_optional_missing_object_or_key_leaves_the_variable_out(V1EnvVar variable, string message)
    {
        _ = message;
        variable.ValueFrom.ConfigMapKeyRef?.Optional = true;
        variable.ValueFrom.SecretKeyRef?.Optional = true;

        var (resolved, error) = Resolve(new V1Container { Env = [new V1EnvVar { Name = "A", Value = "1" }, variable] });

        Assert.Null(error);
        Assert.Equal([new("A", "1")], resolved!.Environment);
    }

    [Fact]
    public void Keys_become_values_and_secret_ones_are_marked()
    {
        var (resolved, _) = Resolve(new V1Container
        {
            Env = [FromConfigMap("MODE", "app", "mode"), FromSecret("PASSWORD", "db", "password"), new V1EnvVar { Name = "URL", Value = "db://$(MODE):$(PASSWORD)" }],
        });

        Assert.Equal([new("MODE", "fast"), new("PASSWORD", "s3cret"), new("URL", "db://fast:s3cret")], resolved!.Environment);
        Assert.Equal(["PASSWORD"], resolved.SecretEnvironment);
    }

    [Fact]
    public void EnvFrom_comes_first_with_its_prefix_and_env_overrides_it()
    {
        var (resolved, _) = Resolve(new V1Container
        {
            EnvFrom =
            [
                new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "app" }, Prefix = "APP_" },
                new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "db" } },
            ],
            Env = [new V1EnvVar { Name = "user", Value = "plain" }],
        });

        Assert.Equal(
            [new("APP_1st", "one"), new("APP_level", "3"), new("APP_mode", "fast"), new("password", "s3cret"), new("user", "plain")],
            resolved!.Environment);
        Assert.Equal(["password"], resolved.SecretEnvironment);
        Assert.Empty(resolved.Warnings);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "configmap \"nope\" not found")]
    [InlineData(null, "configmap \"nope\" not found")]
    public void EnvFrom_a_missing_configmap_fails_unless_optional(bool? optional, string? message)
    {
        var (resolved, error) = Resolve(new V1Container { EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "nope", Optional = optional } }] });

        Assert.Equal(message, error?.Message);
        Assert.Equal(message is null, resolved is not null);
    }

    [Fact]
    public void EnvFrom_a_missing_secret_fails() =>
        Assert.Equal("secret \"gone\" not found", Resolve(new V1Container { EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "gone" } }] }).Error!.Message);

    [Fact]
    public void Keys_that_are_not_variable_names_are_skipped_with_the_kubelets_warning()
    {
        var (resolved, _) = Resolve(new V1Container { EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "app" }, Prefix = "A=" }] });

        Assert.Empty(resolved!.Environment);
        Assert.Equal(
            [("InvalidEnvironmentVariableNames", "Keys [A=1st, A=level, A=mode] from the EnvFrom configMap shop/app were skipped since they are considered invalid environment variable names.")],
            resolved.Warnings);
    }

    [Theory]
    [InlineData("PATH", true)]
    [InlineData("1st-key.x", true)]
    [InlineData("", false)]
    [InlineData("A=B", false)]
    [InlineData("caf\u00e9", false)]
    public void Variable_names_follow_the_relaxed_rule(string name, bool valid) => Assert.Equal(valid, ContainerResolver.IsEnvVarName(name));

    [Fact]
    public void A_plain_env_after_a_secret_one_of_the_same_name_is_no_longer_secret()
    {
        var (resolved, _) = Resolve(new V1Container { Env = [FromSecret("X", "db", "user"), new V1EnvVar { Name = "X", Value = "shown" }] });

        Assert.Equal([new("X", "shown")], resolved!.Environment);
        Assert.Empty(resolved.SecretEnvironment);
    }

    [Fact]
    public void The_names_a_pod_reads_are_each_listed_once()
    {
        var spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container { Name = "a", Env = [FromConfigMap("X", "app", "k"), FromSecret("Y", "db", "k")], EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "app" } }] },
            ],
            Volumes =
            [
                new V1Volume { Name = "c", ConfigMap = new V1ConfigMapVolumeSource { Name = "files" } },
                new V1Volume { Name = "p", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { Secret = new V1SecretProjection { Name = "tls" } }] } },
            ],
            ImagePullSecrets = [new V1LocalObjectReference { Name = "registry" }],
        };

        var names = ConfigSources.UsedByPod(spec);

        Assert.Equal(["files", "app"], names.ConfigMaps);
        Assert.Equal(["tls", "db", "registry"], names.Secrets);
        Assert.True(names.Names("Secret", "tls"));
        Assert.False(names.Names("ConfigMap", "tls"));
    }
}
