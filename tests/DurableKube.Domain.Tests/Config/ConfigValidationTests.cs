using System.Text;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Strategies;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Config;

public sealed class ConfigValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1ConfigMap ConfigMap(Dictionary<string, string>? data = null, Dictionary<string, byte[]>? binary = null, bool? immutable = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "default", CreationTimestamp = Now.AddMinutes(-3).UtcDateTime },
        Data = data,
        BinaryData = binary,
        Immutable = immutable,
    };

    private static V1Secret Secret(string? type, Dictionary<string, string>? data = null, bool? immutable = null, Dictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "creds", NamespaceProperty = "default", Annotations = annotations, CreationTimestamp = Now.AddMinutes(-3).UtcDateTime },
        Type = type,
        Data = data?.ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(p.Value)),
        Immutable = immutable,
    };

    private static readonly string KeyRegexError =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    [Theory]
    [InlineData("key.name")]
    [InlineData("KEY_NAME")]
    [InlineData("-a")]
    [InlineData(".env")]
    public void Config_keys_kubernetes_accepts(string key) => Assert.Empty(ConfigValidation.IsConfigMapKey(key));

    [Theory]
    [InlineData(".", "must not be '.'")]
    [InlineData("..", "must not be '..'")]
    [InlineData("..data", "must not start with '..'")]
    public void Keys_that_would_climb_out_of_a_volume_are_refused(string key, string message) =>
        Assert.Equal([message], ConfigValidation.IsConfigMapKey(key));

    [Fact]
    public void Keys_with_other_characters_or_too_long_are_refused()
    {
        Assert.Equal([KeyRegexError], ConfigValidation.IsConfigMapKey("a/b"));
        Assert.Equal(["must be no more than 253 characters"], ConfigValidation.IsConfigMapKey(new string('a', 254)));
    }

    [Fact]
    public void A_key_in_both_data_and_binaryData_is_refused_and_a_bad_key_names_its_bag()
    {
        var errors = ConfigValidation.ValidateConfigMap(ConfigMap(new() { ["k"] = "v", ["a b"] = "x" }, new() { ["k"] = [1], ["c/d"] = [2] }));

        Assert.Equal(
            [
                "data[k]: Invalid value: \"k\": duplicate of key present in binaryData",
                "data[a b]: Invalid value: \"a b\": " + KeyRegexError,
                "binaryData[c/d]: Invalid value: \"c/d\": " + KeyRegexError,
            ],
            errors.Select(e => e.ToString()).OrderBy(e => e.StartsWith("binary", StringComparison.Ordinal)).ThenBy(e => e.Contains("a b", StringComparison.Ordinal)));
    }

    [Fact]
    public void More_than_one_MiB_in_all_is_too_long()
    {
        var half = new string('x', 600 * 1024);
        Assert.Empty(ConfigValidation.ValidateConfigMap(ConfigMap(new() { ["a"] = half })));

        var errors = ConfigValidation.ValidateConfigMap(ConfigMap(new() { ["a"] = half }, new() { ["b"] = new byte[500 * 1024] }));

        Assert.Equal(["Too long: must have at most 1048576 bytes"], errors.Select(e => e.ToString()));
        Assert.Equal(
            ["data: Too long: must have at most 1048576 bytes"],
            ConfigValidation.ValidateSecret(Secret("Opaque", new() { ["a"] = half, ["b"] = half })).Select(e => e.ToString()));
    }

    [Fact]
    public void An_immutable_ConfigMap_keeps_its_data_and_stays_immutable()
    {
        var old = ConfigMap(new() { ["k"] = "v" }, new() { ["b"] = [1] }, immutable: true);

        Assert.Empty(ConfigValidation.ValidateConfigMapUpdate(ConfigMap(new() { ["k"] = "v" }, new() { ["b"] = [1] }, immutable: true), old));
        Assert.Equal(
            [
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "data: Forbidden: field is immutable when `immutable` is set",
                "binaryData: Forbidden: field is immutable when `immutable` is set",
            ],
            ConfigValidation.ValidateConfigMapUpdate(ConfigMap(new() { ["k"] = "w" }, new() { ["b"] = [2] }), old).Select(e => e.ToString()));
    }

    [Fact]
    public void A_mutable_ConfigMap_may_change_and_become_immutable() =>
        Assert.Empty(ConfigValidation.ValidateConfigMapUpdate(ConfigMap(new() { ["k"] = "w" }, immutable: true), ConfigMap(new() { ["k"] = "v" })));

    public static TheoryData<string, Dictionary<string, string>, string[]> SecretTypes => new()
    {
        { "Opaque", new(), [] },
        { "example.com/custom", new(), [] },
        { "kubernetes.io/tls", new() { ["tls.crt"] = "c", ["tls.key"] = "k" }, [] },
        { "kubernetes.io/tls", new() { ["tls.crt"] = "c" }, ["data[tls.key]: Required value"] },
        { "kubernetes.io/tls", new(), ["data[tls.crt]: Required value", "data[tls.key]: Required value"] },
        { "kubernetes.io/dockerconfigjson", new() { [".dockerconfigjson"] = "{\"auths\":{}}" }, [] },
        { "kubernetes.io/dockerconfigjson", new(), ["data[.dockerconfigjson]: Required value"] },
        { "kubernetes.io/dockerconfigjson", new() { [".dockerconfigjson"] = "xyz" }, ["data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'x' looking for beginning of value"] },
        { "kubernetes.io/dockerconfigjson", new() { [".dockerconfigjson"] = "[1]" }, ["data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": json: cannot unmarshal array into Go value of type map[string]interface {}"] },
        { "kubernetes.io/dockercfg", new() { [".dockercfg"] = "{}" }, [] },
        { "kubernetes.io/dockercfg", new(), ["data[.dockercfg]: Required value"] },
        { "kubernetes.io/basic-auth", new() { ["username"] = "" }, [] },
        { "kubernetes.io/basic-auth", new() { ["other"] = "x" }, ["data[username]: Required value", "data[password]: Required value"] },
        { "kubernetes.io/ssh-auth", new() { ["ssh-privatekey"] = "k" }, [] },
        { "kubernetes.io/ssh-auth", new() { ["ssh-privatekey"] = "" }, ["data[ssh-privatekey]: Required value"] },
        { "kubernetes.io/service-account-token", new(), ["metadata.annotations[kubernetes.io/service-account.name]: Required value"] },
    };

    [Theory]
    [MemberData(nameof(SecretTypes))]
    public void Each_secret_type_needs_its_keys(string type, Dictionary<string, string> data, string[] expected) =>
        Assert.Equal(expected, ConfigValidation.ValidateSecret(Secret(type, data)).Select(e => e.ToString()));

    [Fact]
    public void A_service_account_token_with_its_annotation_is_accepted() =>
        Assert.Empty(ConfigValidation.ValidateSecret(Secret("kubernetes.io/service-account-token", annotations: new() { ["kubernetes.io/service-account.name"] = "default" })));

    [Fact]
    public void A_secret_keeps_its_type_and_an_immutable_one_its_data()
    {
        var old = Secret("Opaque", new() { ["k"] = "v" }, immutable: true);

        Assert.Empty(ConfigValidation.ValidateSecretUpdate(Secret("Opaque", new() { ["k"] = "v" }, immutable: true), old));
        Assert.Equal(
            [
                "type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable",
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "data: Forbidden: field is immutable when `immutable` is set",
            ],
            ConfigValidation.ValidateSecretUpdate(Secret("kubernetes.io/basic-auth", new() { ["username"] = "w" }), old).Select(e => e.ToString()));
    }

    [Fact]
    public void StringData_is_merged_into_data_winning_over_it_and_never_kept()
    {
        var secret = Secret(null, new() { ["a"] = "old", ["b"] = "kept" });
        secret.StringData = new Dictionary<string, string> { ["a"] = "new", ["c"] = "added" };

        new SecretStrategy().Default(secret);

        Assert.Equal("Opaque", secret.Type);
        Assert.Null(secret.StringData);
        Assert.Equal(
            ["a=new", "b=kept", "c=added"],
            secret.Data.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Encoding.UTF8.GetString(p.Value)}"));
    }

    [Fact]
    public void ConfigMaps_and_Secrets_have_no_generation()
    {
        var configMap = ConfigMap(new() { ["k"] = "v" });
        var secret = Secret("Opaque");

        new ConfigMapStrategy().PrepareForCreate(configMap);
        new SecretStrategy().PrepareForCreate(secret);

        Assert.Null(configMap.Metadata.Generation);
        Assert.Null(secret.Metadata.Generation);
    }

    [Fact]
    public void Tables_are_kubectls_and_DATA_counts_both_bags()
    {
        Assert.Equal(["Name", "Data", "Age"], ConfigPrinter.ConfigMapColumns.Select(c => c.Name));
        Assert.Equal(["Name", "Type", "Data", "Age"], ConfigPrinter.SecretColumns.Select(c => c.Name));
        Assert.Equal(["app", 3L, "3m"], ConfigPrinter.ConfigMapCells(ConfigMap(new() { ["a"] = "1", ["b"] = "2" }, new() { ["c"] = [3] }), Now));
        Assert.Equal(["app", 0L, "3m"], ConfigPrinter.ConfigMapCells(ConfigMap(), Now));
        Assert.Equal(["creds", "kubernetes.io/tls", 2L, "3m"], ConfigPrinter.SecretCells(Secret("kubernetes.io/tls", new() { ["tls.crt"] = "c", ["tls.key"] = "k" }), Now));
    }
}
