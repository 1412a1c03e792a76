namespace DurableKube.LocalHost.Tests;

/// <summary>Volumes on the local host's process runtime, driven by kubectl: an emptyDir two containers share.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class VolumeWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_containers_share_an_emptyDir_and_exec_sees_it()
    {
        var existedBefore = Directory.Exists("/shared");
        var ns = E2E.UniqueNamespace("emptydir");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: sharing
            spec:
              restartPolicy: Never
              volumes:
              - name: shared
                emptyDir: {}
              containers:
              - name: writer
                image: busybox
                command: ["sh", "-c", "echo hi > /shared/f; sleep 3600"]
                volumeMounts:
                - name: shared
                  mountPath: /shared
              - name: reader
                image: busybox
                command: ["sh", "-c", "while ! cat /shared/f; do sleep 1; done; sleep 3600"]
                volumeMounts:
                - name: shared
                  mountPath: /shared
                  readOnly: true
            """));
        await Eventually.WaitAsync(() => E2E.StatusColumnAsync(host, ns, "sharing"), s => s == "Running", Patience, "the pod to run");

        var logs = await Eventually.WaitAsync(
            () => host.KubectlOkAsync("logs", "sharing", "-n", ns, "-c", "reader"), text => text.Contains("hi", StringComparison.Ordinal), Patience, "the reader to read the file");
        var exec = await host.KubectlAsync("exec", "sharing", "-n", ns, "-c", "reader", "--", "cat", "/shared/f");
        var readOnly = await host.KubectlAsync("exec", "sharing", "-n", ns, "-c", "reader", "--", "sh", "-c", "echo x > /shared/g");

        Assert.Equal("hi\n", logs);
        Assert.Equal((0, "hi\n"), (exec.ExitCode, exec.StandardOutput));
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Contains("Read-only file system", readOnly.StandardError, StringComparison.Ordinal);
        Assert.Equal(existedBefore, Directory.Exists("/shared"));
    }
}
