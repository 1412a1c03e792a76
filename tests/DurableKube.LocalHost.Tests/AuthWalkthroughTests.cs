using System.Net;
using System.Text.Json;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// The locked door, as a user meets it: the kubeconfig up.sh wrote (https, its CA, the admin's token) works unchanged,
/// <c>kubectl auth whoami</c> and <c>auth can-i</c> answer, the read-only context is refused writes in the API
/// server's words, and a caller without the token gets 401 except on the health and version paths.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class AuthWalkthroughTests(LocalHostFixture host)
{
    [Fact]
    public async Task Whoami_names_the_admin_and_the_viewer()
    {
        var admin = await host.KubectlOkAsync("auth", "whoami", "-o", "json");
        var info = JsonDocument.Parse(admin).RootElement.GetProperty("status").GetProperty("userInfo");
        Assert.Equal("admin", info.GetProperty("username").GetString());
        Assert.Contains(info.GetProperty("groups").EnumerateArray(), g => g.GetString() == "system:masters");

        var viewer = await host.KubectlOkAsync("--context", LocalHostFixture.ViewerContext, "auth", "whoami");
        Assert.Matches(@"(?m)^Username\s+viewer\s*$", viewer);
        Assert.Matches(@"system:authenticated", viewer);
    }

    [Fact]
    public async Task Can_i_answers_yes_and_no_from_the_role()
    {
        Assert.Equal("yes", (await host.KubectlOkAsync("auth", "can-i", "create", "pods")).Trim());
        Assert.Equal("yes", (await host.KubectlOkAsync("--context", LocalHostFixture.ViewerContext, "auth", "can-i", "list", "deployments.apps")).Trim());

        var no = await host.KubectlAsync("--context", LocalHostFixture.ViewerContext, "auth", "can-i", "create", "pods");
        Assert.True(no.ExitCode == 1, no.Output);
        Assert.Equal("no", no.StandardOutput.Trim());

        var list = await host.KubectlOkAsync("--context", LocalHostFixture.ViewerContext, "auth", "can-i", "--list", "-n", "default");
        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[get list watch\]", list);
        Assert.DoesNotMatch(@"(?m)^secrets\s", list);
    }

    [Fact]
    public async Task The_viewer_reads_and_is_refused_a_create_in_the_API_servers_words()
    {
        await host.KubectlOkAsync("--context", LocalHostFixture.ViewerContext, "get", "pods", "-n", "default");

        var create = await host.KubectlAsync("--context", LocalHostFixture.ViewerContext, "run", "nope", "-n", "default", "--image=busybox", "--restart=Never", "--", "true");

        Assert.True(create.ExitCode != 0, create.Output);
        Assert.Contains("pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"", create.StandardError, StringComparison.Ordinal);
        var found = await host.KubectlAsync("get", "pod", "nope", "-n", "default");
        Assert.Contains("NotFound", found.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-token-0123456789abcdef")]
    public async Task Without_the_token_the_API_answers_401_but_health_and_version_stay_open(string? token)
    {
        using var http = host.CreateHttpClient(user: null);
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var pods = await http.GetAsync(new Uri("/api/v1/namespaces/default/pods", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, pods.StatusCode);
        var status = JsonDocument.Parse(await pods.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("Status", "Unauthorized", 401), (status.GetProperty("kind").GetString(), status.GetProperty("reason").GetString(), status.GetProperty("code").GetInt32()));

        using var discovery = await http.GetAsync(new Uri("/apis", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, discovery.StatusCode);
        if (token is null)
        {
            foreach (var open in new[] { "/livez", "/readyz", "/healthz", "/version" })
            {
                using var response = await http.GetAsync(new Uri(open, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{open}: {response.StatusCode}");
            }
        }
    }

    [Fact]
    public void The_run_folder_keeps_keys_tokens_and_the_kubeconfig_to_its_owner()
    {
        Assert.False(OperatingSystem.IsWindows(), "the local host runs on Linux");
        foreach (var path in new[] { "pki/ca.key", "pki/server.key", "tokens/admin", "tokens/viewer", "kubeconfig" })
        {
            var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(Path.Combine(host.RunDirectory, path));
            Assert.True(mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{path} is {mode}");
        }

        // The token is in no log.
        Assert.DoesNotContain(host.Token(), host.HostLog(), StringComparison.Ordinal);
    }
}
