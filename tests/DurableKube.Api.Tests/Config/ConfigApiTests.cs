using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Testing.Logging;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tests.Config;

public sealed class ConfigApiTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private const string Secrets = "/api/v1/namespaces/default/secrets";

    [Fact]
    public async Task A_configmap_is_created_read_listed_and_updated()
    {
        await using var api = await ApiHost.StartAsync();
        var created = (await api.PostAsync(ConfigMaps, new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "app" },
            Data = new Dictionary<string, string> { ["k"] = "v" },
            BinaryData = new Dictionary<string, byte[]> { ["b"] = [0, 1, 2] },
        })).AssertOk(201);

        Assert.Null(created.Json["metadata"]!["generation"]);
        Assert.Equal("AAEC", created.Json["binaryData"]!["b"]!.GetValue<string>());
        var read = KubernetesJson.Deserialize<V1ConfigMap>((await api.GetAsync(ConfigMaps + "/app")).AssertOk().Body);
        Assert.Equal("v", read.Data["k"]);
        Assert.Equal([0, 1, 2], read.BinaryData["b"]);

        read.Data["k"] = "w";
        (await api.PutAsync(ConfigMaps + "/app", read)).AssertOk();
        var list = (await api.GetAsync(ConfigMaps)).AssertOk().Json;
        Assert.Equal("ConfigMapList", list["kind"]!.GetValue<string>());
        Assert.Equal("w", list["items"]![0]!["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_as_table_shows_name_data_age()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync(ConfigMaps, new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "app" },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
            BinaryData = new Dictionary<string, byte[]> { ["c"] = [3] },
        })).AssertOk(201);
        (await api.PostAsync(Secrets, new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["x"] = "y" } })).AssertOk(201);

        var maps = (await api.GetAsync(ConfigMaps, ApiHost.TableAccept)).AssertOk().Json;
        var secrets = (await api.GetAsync(Secrets, ApiHost.TableAccept)).AssertOk().Json;

        Assert.Equal(["Name", "Data", "Age"], maps["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("app", maps["rows"]![0]!["cells"]![0]!.GetValue<string>());
        Assert.Equal(3, maps["rows"]![0]!["cells"]![1]!.GetValue<long>());
        Assert.Equal(["Name", "Type", "Data", "Age"], secrets["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("Opaque", secrets["rows"]![0]!["cells"]![1]!.GetValue<string>());
        Assert.Equal(1, secrets["rows"]![0]!["cells"]![2]!.GetValue<long>());
    }

    [Fact]
    public async Task StringData_is_stored_in_data_as_base64_and_never_itself()
    {
        await using var api = await ApiHost.StartAsync();
        var created = (await api.PostAsync(Secrets, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s" },
            Data = new Dictionary<string, byte[]> { ["a"] = Encoding.UTF8.GetBytes("old") },
            StringData = new Dictionary<string, string> { ["a"] = "new", ["b"] = "two" },
        })).AssertOk(201);

        Assert.Equal("Opaque", created.Json["type"]!.GetValue<string>());
        Assert.Null(created.Json["stringData"]);
        Assert.Equal(Convert.ToBase64String("new"u8.ToArray()), created.Json["data"]!["a"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String("two"u8.ToArray()), created.Json["data"]!["b"]!.GetValue<string>());

        // A merge patch of stringData updates data too.
        (await api.PatchAsync(Secrets + "/s", """{"stringData":{"b":"three"}}""", "application/merge-patch+json")).AssertOk();
        var read = (await api.GetAsync(Secrets + "/s")).AssertOk().Json;
        Assert.Null(read["stringData"]);
        Assert.Equal(Convert.ToBase64String("three"u8.ToArray()), read["data"]!["b"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_immutable_configmap_refuses_a_change_of_data_with_kubernetes_message()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync(ConfigMaps, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "frozen" }, Data = new Dictionary<string, string> { ["k"] = "v" }, Immutable = true })).AssertOk(201);

        var response = (await api.PatchAsync(ConfigMaps + "/frozen", """{"data":{"k":"w"}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        var unset = (await api.PatchAsync(ConfigMaps + "/frozen", """{"immutable":false}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");

        Assert.Equal("ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set", response.Message);
        Assert.Contains("immutable: Forbidden: field is immutable when `immutable` is set", unset.Message, StringComparison.Ordinal);
        (await api.PatchAsync(ConfigMaps + "/frozen", """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json")).AssertOk();
    }

    [Fact]
    public async Task A_tls_secret_without_its_key_is_422_and_its_type_cannot_change()
    {
        await using var api = await ApiHost.StartAsync();

        var missing = (await api.PostAsync(Secrets, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "tls" },
            Type = "kubernetes.io/tls",
            StringData = new Dictionary<string, string> { ["tls.crt"] = "c" },
        })).AssertStatus(422, "Invalid");
        (await api.PostAsync(Secrets, new V1Secret { Metadata = new V1ObjectMeta { Name = "opaque" }, StringData = new Dictionary<string, string> { ["k"] = "v" } })).AssertOk(201);
        var retyped = (await api.PatchAsync(Secrets + "/opaque", """{"type":"example.com/other"}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");

        Assert.Equal("Secret \"tls\" is invalid: data[tls.key]: Required value", missing.Message);
        Assert.Equal("Secret \"opaque\" is invalid: type: Invalid value: \"example.com/other\": field is immutable", retyped.Message);
    }

    [Fact]
    public async Task No_log_line_shows_a_secrets_content()
    {
        var logs = new RecordingLoggerProvider();
        await using var api = await ApiHost.StartAsync(logs: logs);
        const string Hidden = "hunter2-very-secret";

        (await api.PostAsync(Secrets, new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["password"] = Hidden } })).AssertOk(201);
        (await api.PatchAsync(Secrets + "/s", "{\"stringData\":{\"password\":\"" + Hidden + "-2\"}}", "application/merge-patch+json")).AssertOk();
        (await api.PostAsync(Secrets, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "bad" },
            Type = "kubernetes.io/dockerconfigjson",
            StringData = new Dictionary<string, string> { [".dockerconfigjson"] = Hidden },
        })).AssertStatus(422, "Invalid");
        (await api.GetAsync(Secrets + "/s")).AssertOk();

        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Hidden));
        Assert.NotEmpty(logs.Entries);
        Assert.All(logs.Entries, e =>
        {
            Assert.DoesNotContain(Hidden, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(base64[..16], e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Hidden, e.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Kubectl_create_configmap_sends_protobuf_and_it_is_understood()
    {
        await using var api = await ApiHost.StartAsync();
        var body = Proto.Body("v1", "ConfigMap", Proto.Message(
            Proto.Field(1, Proto.Message(Proto.Field(1, "app"), Proto.Field(3, ""))),
            Proto.MapEntry(2, "k", "v"u8.ToArray()),
            Proto.MapEntry(2, "file.txt", "line1\nline2\n"u8.ToArray()),
            Proto.MapEntry(3, "blob", [0xff, 0x00])));

        var response = await api.PostProtobufAsync(ConfigMaps + "?fieldManager=kubectl-create&fieldValidation=Strict", body);

        Assert.Equal(201, response.Code);
        var stored = KubernetesJson.Deserialize<V1ConfigMap>((await api.GetAsync(ConfigMaps + "/app")).AssertOk().Body);
        Assert.Equal("v", stored.Data["k"]);
        Assert.Equal("line1\nline2\n", stored.Data["file.txt"]);
        Assert.Equal([0xff, 0x00], stored.BinaryData["blob"]);
        Assert.Null(stored.Immutable);
    }

    [Fact]
    public async Task Kubectl_create_secret_sends_protobuf_and_its_bytes_are_kept()
    {
        await using var api = await ApiHost.StartAsync();
        var body = Proto.Body("v1", "Secret", Proto.Message(
            Proto.Field(1, Proto.Message(Proto.Field(1, "tls"))),
            Proto.MapEntry(2, "tls.crt", "CERT"u8.ToArray()),
            Proto.MapEntry(2, "tls.key", [0x01, 0x80, 0xfe]),
            Proto.Field(3, "kubernetes.io/tls"),
            Proto.Varint(5, 1)));

        var response = await api.PostProtobufAsync(Secrets + "?fieldManager=kubectl-create", body);

        Assert.Equal(201, response.Code);
        var stored = KubernetesJson.Deserialize<V1Secret>((await api.GetAsync(Secrets + "/tls")).AssertOk().Body);
        Assert.Equal("kubernetes.io/tls", stored.Type);
        Assert.Equal("CERT"u8.ToArray(), stored.Data["tls.crt"]);
        Assert.Equal([0x01, 0x80, 0xfe], stored.Data["tls.key"]);
        Assert.True(stored.Immutable);
    }
}
