using System.Text.Json;
using DurableKube.Testing;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// The official JavaScript client (<c>@kubernetes/client-node</c>, installed by scripts/test.sh into tests/js) against the
/// local host: tests/js/client-node.mjs creates, reads, lists, watches through an informer, patches and deletes a pod.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class JavaScriptClientTests(LocalHostFixture host)
{
    [Fact]
    public async Task The_JavaScript_client_creates_lists_watches_patches_and_deletes_a_pod()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "tests", "js");
        Assert.True(
            Directory.Exists(Path.Combine(folder, "node_modules", "@kubernetes", "client-node")),
            "@kubernetes/client-node is not installed in tests/js: scripts/test.sh installs it (npm ci).");
        var ns = E2E.UniqueNamespace("js");

        var result = await LocalHostFixture.RunAsync(
            "node", [Path.Combine(folder, "client-node.mjs"), host.Kubeconfig, ns, "busybox:1.36"], TimeSpan.FromMinutes(4));

        Assert.True(result.ExitCode == 0, result.Output);
        var seen = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.False(string.IsNullOrEmpty(seen.GetProperty("createdUid").GetString()));
        Assert.Equal(0, seen.GetProperty("dryRunStored").GetInt32());
        Assert.Equal("Always", seen.GetProperty("dryRunDefaultedPolicy").GetString());
        Assert.False(string.IsNullOrEmpty(seen.GetProperty("runningNode").GetString()));
        Assert.Equal(["js-pod"], seen.GetProperty("labelled").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, seen.GetProperty("unlabelled").GetInt32());
        Assert.Equal("yes", seen.GetProperty("patchedLabels").GetProperty("patched").GetString());
        Assert.Equal("js", seen.GetProperty("patchedLabels").GetProperty("app").GetString());
        Assert.Equal(409, seen.GetProperty("refused").GetProperty("code").GetInt32());
        Assert.Equal("AlreadyExists", seen.GetProperty("refused").GetProperty("reason").GetString());
        Assert.True(seen.GetProperty("informerSawAdd").GetBoolean(), result.StandardOutput);
        Assert.True(seen.GetProperty("informerSawRunning").GetBoolean(), result.StandardOutput);
        Assert.True(seen.GetProperty("informerSawDelete").GetBoolean(), result.StandardOutput);
        Assert.Empty(seen.GetProperty("informerErrors").EnumerateArray());
    }
}
