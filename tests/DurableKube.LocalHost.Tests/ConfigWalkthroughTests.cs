using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// ConfigMaps and Secrets with the real kubectl: its imperative generators (which send protobuf), kubectl's tables,
/// a pod on the process runtime reading a ConfigMap key and a Secret key from its environment, and a pod waiting in
/// CreateContainerConfigError until the ConfigMap it names is created.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ConfigWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Kubectl_creates_configmaps_and_secrets_of_every_kind_and_lists_them_as_kubernetes_does()
    {
        var ns = E2E.UniqueNamespace("cfg");
        await E2E.CreateNamespaceAsync(host, ns);
        var file = Path.Combine(host.Scratch, $"app-{Guid.NewGuid():N}.properties");
        await File.WriteAllTextAsync(file, "color=blue\nsize=3\n");
        var (cert, key) = SelfSigned();

        Assert.Contains("configmap/app created", await host.KubectlOkAsync("create", "configmap", "app", "-n", ns, "--from-literal=k=v", $"--from-file={file}"), StringComparison.Ordinal);
        Assert.Contains("secret/db created", await host.KubectlOkAsync("create", "secret", "generic", "db", "-n", ns, "--from-literal=password=s3cret", "--from-literal=user=admin"), StringComparison.Ordinal);
        Assert.Contains("secret/reg created", await host.KubectlOkAsync(
            "create", "secret", "docker-registry", "reg", "-n", ns, "--docker-server=registry.example:5000", "--docker-username=amy", "--docker-password=pw"), StringComparison.Ordinal);
        Assert.Contains("secret/tls created", await host.KubectlOkAsync("create", "secret", "tls", "tls", "-n", ns, $"--cert={cert}", $"--key={key}"), StringComparison.Ordinal);

        var configMaps = await host.KubectlOkAsync("get", "configmaps", "-n", ns);
        Assert.Matches(@"(?m)^NAME\s+DATA\s+AGE$", configMaps);
        Assert.Matches(@"(?m)^app\s+2\s+\d+s$", configMaps);
        var secrets = await host.KubectlOkAsync("get", "secrets", "-n", ns);
        Assert.Matches(@"(?m)^NAME\s+TYPE\s+DATA\s+AGE$", secrets);
        Assert.Matches(@"(?m)^db\s+Opaque\s+2\s+\d+s$", secrets);
        Assert.Matches(@"(?m)^reg\s+kubernetes\.io/dockerconfigjson\s+1\s+\d+s$", secrets);
        Assert.Matches(@"(?m)^tls\s+kubernetes\.io/tls\s+2\s+\d+s$", secrets);

        var app = JsonDocument.Parse(await host.KubectlOkAsync("get", "configmap", "app", "-n", ns, "-o", "json")).RootElement;
        Assert.Equal("v", app.GetProperty("data").GetProperty("k").GetString());
        Assert.Equal("color=blue\nsize=3\n", app.GetProperty("data").GetProperty(Path.GetFileName(file)).GetString());
        Assert.Equal("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(await host.KubectlOkAsync("get", "secret", "db", "-n", ns, "-o", "jsonpath={.data.password}"))));
        var docker = Encoding.UTF8.GetString(Convert.FromBase64String(await host.KubectlOkAsync("get", "secret", "reg", "-n", ns, "-o", "jsonpath={.data.\\.dockerconfigjson}")));
        Assert.Equal("amy", JsonDocument.Parse(docker).RootElement.GetProperty("auths").GetProperty("registry.example:5000").GetProperty("username").GetString());

        // Kubernetes' validation answers kubectl: a key that is no config key, an immutable ConfigMap changed.
        var badKey = await host.KubectlAsync("create", "configmap", "bad", "-n", ns, "--from-literal=a/b=v");
        Assert.NotEqual(0, badKey.ExitCode);
        Assert.Contains("a valid config key must consist of alphanumeric characters", badKey.Output, StringComparison.Ordinal);
        await host.KubectlOkAsync("patch", "configmap", "app", "-n", ns, "--type=merge", "-p", "{\"immutable\":true}");
        var changed = await host.KubectlAsync("patch", "configmap", "app", "-n", ns, "--type=merge", "-p", "{\"data\":{\"k\":\"w\"}}");
        Assert.NotEqual(0, changed.ExitCode);
        Assert.Contains("data: Forbidden: field is immutable when `immutable` is set", changed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_reads_a_configmap_key_and_a_secret_key_from_its_environment()
    {
        var ns = E2E.UniqueNamespace("cfgenv");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("create", "configmap", "app", "-n", ns, "--from-literal=mode=fast", "--from-literal=level=3");
        await host.KubectlOkAsync("create", "secret", "generic", "db", "-n", ns, "--from-literal=password=s3cret");

        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: reader
            spec:
              restartPolicy: Never
              containers:
              - name: app
                image: busybox
                command: ["sh", "-c", "echo mode=$MODE password=$PASSWORD level=$APP_level"]
                env:
                - name: MODE
                  valueFrom:
                    configMapKeyRef: {name: app, key: mode}
                - name: PASSWORD
                  valueFrom:
                    secretKeyRef: {name: db, key: password}
                envFrom:
                - prefix: APP_
                  configMapRef: {name: app}
            """));

        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "reader"), s => s == "Completed", Patience, "reader to complete");
        Assert.Equal("mode=fast password=s3cret level=3\n", await host.KubectlOkAsync("logs", "reader", "-n", ns));
    }

    [Fact]
    public async Task A_pod_waits_in_CreateContainerConfigError_until_its_configmap_is_created_then_runs()
    {
        var ns = E2E.UniqueNamespace("cfgwait");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: patient
            spec:
              containers:
              - name: app
                image: busybox
                command: ["sh", "-c", "echo mode=$MODE; sleep 3600"]
                env:
                - name: MODE
                  valueFrom:
                    configMapKeyRef: {name: later, key: mode}
            """));

        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "patient"), s => s == "CreateContainerConfigError", Patience, "patient to wait for its ConfigMap");
        var waiting = await E2E.GetPodJsonAsync(host, ns, "patient");
        Assert.Equal(
            "configmap \"later\" not found",
            waiting.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("state").GetProperty("waiting").GetProperty("message").GetString());

        await host.KubectlOkAsync("create", "configmap", "later", "-n", ns, "--from-literal=mode=fast");

        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "patient"), s => s == "Running", Patience, "patient to run once its ConfigMap exists");
        await Eventually.WaitAsync(() => host.KubectlOkAsync("logs", "patient", "-n", ns), log => log == "mode=fast\n", Patience, "patient's log");
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    /// <summary>A self-signed certificate and its key as PEM files, for <c>kubectl create secret tls</c>.</summary>
    private (string Cert, string Key) SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=durablekube.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cert = Path.Combine(host.Scratch, $"tls-{Guid.NewGuid():N}.crt");
        var key = Path.Combine(host.Scratch, $"tls-{Guid.NewGuid():N}.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }
}
