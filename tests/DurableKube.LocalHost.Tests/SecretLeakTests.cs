using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// A Secret's value never leaves the Secret: pods use it (env from <c>secretKeyRef</c> and <c>envFrom</c>, a volume) on
/// the process runtime and on the ACI node, some fail (a missing key, a container that exits 3), and then the value is in
/// no event, no pod, no line of the host's log, no Durable Task history, instance or large-message blob, no object but
/// the Secret itself, and no request to ARM except as a <c>secureValue</c>.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class SecretLeakTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_secret_value_used_by_running_and_failing_pods_appears_nowhere_but_in_the_Secret()
    {
        var ns = E2E.UniqueNamespace("leak");
        var marker = "m4rker" + Guid.NewGuid().ToString("N");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(marker));
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("create", "secret", "generic", "vault", "-n", ns, "--from-literal=token=" + marker);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, """
            apiVersion: v1
            kind: Pod
            metadata: {name: user}
            spec:
              restartPolicy: Never
              volumes:
              - name: s
                secret: {secretName: vault}
              containers:
              - name: app
                image: busybox
                command: ["python3", "-c", "import os, sys; sys.exit(0 if os.environ['TOKEN'] == os.environ['token'] else 1)"]
                env:
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: vault, key: token}}
                envFrom:
                - secretRef: {name: vault}
                volumeMounts:
                - {name: s, mountPath: /etc/vault}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: failing}
            spec:
              restartPolicy: Never
              containers:
              - name: app
                image: busybox
                command: ["python3", "-c", "import sys; sys.exit(3)"]
                env:
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: vault, key: token}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: missing-key}
            spec:
              containers:
              - name: app
                image: busybox
                command: ["python3", "-c", "import time; time.sleep(600)"]
                env:
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: vault, key: nope}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: on-aci}
            spec:
              nodeSelector: {type: virtual-kubelet}
              tolerations:
              - {key: virtual-kubelet.io/provider, operator: Equal, value: azure, effect: NoSchedule}
              containers:
              - name: app
                image: mcr.microsoft.com/azuredocs/aci-helloworld
                env:
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: vault, key: token}}
                envFrom:
                - secretRef: {name: vault}
                resources:
                  requests: {cpu: 500m, memory: 512Mi}
            """));

        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "user"), s => s == "Completed", Patience, "user to complete (it saw the secret)");
        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "failing"), s => s == "Error", Patience, "failing to fail");
        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "missing-key"), s => s == "CreateContainerConfigError", Patience, "missing-key to wait for its key");
        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "on-aci"), s => s == "Running", Patience, "on-aci to run as a container group");
        await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "events", "-n", ns, "-o", "json"),
            events => events.Contains("couldn't find key nope in Secret", StringComparison.Ordinal),
            Patience,
            "the missing key's event");

        var leaks = new List<string>();
        void Look(string where, string? text)
        {
            if (text is not null && (text.Contains(marker, StringComparison.Ordinal) || text.Contains(encoded, StringComparison.Ordinal)))
            {
                leaks.Add(where);
            }
        }

        Look("events", await host.KubectlOkAsync("get", "events", "-A", "-o", "json"));
        Look("pods", await host.KubectlOkAsync("get", "pods", "-A", "-o", "json"));
        Look("pod tables", await host.KubectlOkAsync("get", "pods", "-n", ns, "-o", "wide"));
        Look("host log (file and console)", host.HostLog());

        // The Durable Task hub: histories, instances (inputs, outputs, custom status) and large messages (maybe gzipped).
        var tables = new TableServiceClient(host.StorageConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            if (!table.Name.StartsWith(host.TaskHub, StringComparison.OrdinalIgnoreCase) && !table.Name.Equals(host.ObjectsTable, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = string.Join("\n", entity.Select(p => p.Key + "=" + p.Value));
                var isTheSecret = table.Name.Equals(host.ObjectsTable, StringComparison.OrdinalIgnoreCase) && text.Contains("\"kind\":\"Secret\"", StringComparison.Ordinal);
                if (!isTheSecret)
                {
                    Look($"table {table.Name} row {entity.RowKey}", text);
                }
                else
                {
                    // The Secret itself holds the value encoded, never in the clear.
                    Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
                }
            }
        }

        var blobs = new BlobServiceClient(host.StorageConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: host.TaskHub.ToLowerInvariant()))
        {
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                Look($"blob {container.Name}/{blob.Name}", Text(content));
            }
        }

        // ARM sees the value only as a secureValue (which ARM never returns).
        var group = Assert.Single(host.Arm.GroupNames, n => n.Contains(ns, StringComparison.Ordinal));
        var sent = host.Arm.SentBody(group)!;
        var secure = new List<string>();
        Walk(sent, "$", (path, name, value) =>
        {
            if (value.Contains(marker, StringComparison.Ordinal) || value.Contains(encoded, StringComparison.Ordinal))
            {
                (name == "secureValue" ? secure : leaks).Add("ARM body " + path);
            }
        });
        Assert.Equal(2, secure.Count); // TOKEN and envFrom's token

        Assert.True(leaks.Count == 0, "the secret's value leaked to: " + string.Join(", ", leaks));
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    private static string Text(byte[] content)
    {
        if (content is [0x1f, 0x8b, ..])
        {
            using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            return reader.ReadToEnd();
        }

        return Encoding.UTF8.GetString(content);
    }

    private static void Walk(JsonNode? node, string path, Action<string, string, string> visit, string name = "")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    Walk(value, path + "." + key, visit, key);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], $"{path}[{i}]", visit, name);
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out var text):
                visit(path, name, text);
                break;
        }
    }
}
