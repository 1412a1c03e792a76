using System.Diagnostics;
using Azure;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Aci.Arm;
using DurableKube.Testing.Arm;

namespace DurableKube.Runtime.Aci.Tests.Arm;

public sealed class ContainerGroupClientTests
{
    [Fact]
    public async Task A_create_waited_for_polls_the_async_operation_until_provisioning_succeeded()
    {
        await using var arm = await ArmHarness.StartAsync();

        var result = await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Completed);

        Assert.False(result.IsRefused);
        Assert.Equal("Succeeded", result.Group!.Properties.ProvisioningState);
        var requests = arm.Server.Requests;
        Assert.Equal(("PUT", 201), (requests[0].Method, requests[0].Status));
        Assert.Contains(requests, r => r.Path.StartsWith("/fake-operations/", StringComparison.Ordinal));
        Assert.Equal("GET", requests[^1].Method);
        Assert.EndsWith("/containerGroups/g1", requests[^1].Path, StringComparison.Ordinal);
        Assert.All(requests, r => Assert.Contains("api-version=2025-09-01", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_create_waited_for_polls_no_sooner_than_the_retry_after_arm_gives_instead_of_the_poll_interval()
    {
        // Provisioning takes 1.4 s; ARM asks for 1 s between polls, the client's own interval is 20 ms.
        await using var arm = await ArmHarness.StartAsync(new FakeArmOptions { ProvisioningStep = TimeSpan.FromMilliseconds(700), OperationRetryAfter = TimeSpan.FromSeconds(1) });

        var result = await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Completed);

        Assert.Equal("Succeeded", result.Group!.Properties.ProvisioningState);
        var requests = arm.Server.Requests;
        var polls = requests.Where(r => r.Path.StartsWith("/fake-operations/", StringComparison.Ordinal)).ToList();
        Assert.True(polls.Count >= 2, $"{polls.Count} polls");
        Assert.Equal(200, polls[^1].Status);

        // From the PUT to the first poll, and from each poll that said InProgress to the next: at least Retry-After
        // (less a little for where the server stamps the time).
        var waited = requests.Where(r => r.Method == "PUT").Concat(polls).ToList();
        var gaps = waited.Zip(waited.Skip(1), (a, b) => b.Time - a.Time).ToList();
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"polled after {gap}"));
    }

    [Fact]
    public async Task A_create_not_waited_for_returns_the_accepted_group_still_provisioning()
    {
        await using var arm = await ArmHarness.StartAsync();

        var result = await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Started);

        Assert.Equal("Pending", result.Group!.Properties.ProvisioningState);
        Assert.Single(arm.Server.Requests);
    }

    [Fact]
    public async Task The_body_sent_is_arms_shape_with_secure_values_which_a_read_never_returns()
    {
        await using var arm = await ArmHarness.StartAsync();
        await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Started);

        var sent = arm.Server.SentBody("g1")!;
        var read = await arm.Client.GetAsync("g1");

        var env = sent["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]!;
        Assert.Equal("s3cret", env[1]!["secureValue"]!.GetValue<string>());
        Assert.Null(env[0]!["secureValue"]);
        Assert.Equal(0.5, sent["properties"]!["containers"]![0]!["properties"]!["resources"]!["requests"]!["memoryInGB"]!.GetValue<double>());
        Assert.Equal("Never", sent["properties"]!["restartPolicy"]!.GetValue<string>());
        Assert.Null(read!.Properties.Containers[0].Properties.EnvironmentVariables![1].SecureValue);
    }

    [Fact]
    public async Task A_read_has_the_instance_view_and_a_list_does_not()
    {
        await using var arm = await ArmHarness.StartAsync();
        await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Completed);

        var group = await Eventually.ReturnsAsync(() => arm.Client.GetAsync("g1"), g => g?.Properties.InstanceView?.State == "Running");
        var listed = Assert.Single(await arm.Client.ListAsync());

        var view = group!.Properties.Containers[0].Properties.InstanceView!;
        Assert.Equal("Running", view.CurrentState!.State);
        Assert.NotNull(view.CurrentState.StartTime);
        Assert.Contains(view.Events!, e => e.Name == "Started");
        Assert.Null(listed.Properties.InstanceView);
        Assert.Null(listed.Properties.Containers[0].Properties.InstanceView);
        Assert.Equal("uid-1", listed.Tags!["durablekube-pod-uid"]);
    }

    [Fact]
    public async Task A_read_of_a_missing_group_is_null()
    {
        await using var arm = await ArmHarness.StartAsync();

        Assert.Null(await arm.Client.GetAsync("nothing-here"));
    }

    [Fact]
    public async Task A_list_follows_next_link_through_every_page()
    {
        await using var arm = await ArmHarness.StartAsync(new FakeArmOptions { PageSize = 2 });
        foreach (var name in (string[])["a", "b", "c", "d", "e"])
        {
            await arm.Client.CreateOrUpdateAsync(name, ArmHarness.Group(), WaitUntil.Started);
        }

        var groups = await arm.Client.ListAsync();

        Assert.Equal(["a", "b", "c", "d", "e"], groups.Select(g => g.Name));
        Assert.Equal(3, arm.Server.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_delete_waited_for_polls_location_until_the_group_is_gone_and_a_second_delete_succeeds()
    {
        await using var arm = await ArmHarness.StartAsync();
        await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Started);

        Assert.True(await arm.Client.DeleteAsync("g1", WaitUntil.Completed));

        Assert.Empty(arm.Server.GroupNames);
        Assert.Contains(arm.Server.Requests, r => r.Path.EndsWith("/location", StringComparison.Ordinal) && r.Status == 202 || r.Status == 204);
        await arm.Client.DeleteAsync("g1", WaitUntil.Completed);
    }

    [Fact]
    public async Task Restart_stop_and_start_act_on_every_container()
    {
        await using var arm = await ArmHarness.StartAsync();
        await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Completed);
        await Eventually.ReturnsAsync(() => arm.Client.GetAsync("g1"), g => g?.Properties.InstanceView?.State == "Running");

        Assert.True(await arm.Client.RestartAsync("g1", WaitUntil.Completed));
        var restarted = await Eventually.ReturnsAsync(() => arm.Client.GetAsync("g1"), g => g?.Properties.Containers[0].Properties.InstanceView?.CurrentState?.State == "Running");
        Assert.True(await arm.Client.StopAsync("g1"));
        var stopped = await arm.Client.GetAsync("g1");
        Assert.True(await arm.Client.StartAsync("g1", WaitUntil.Completed));
        Assert.False(await arm.Client.RestartAsync("missing", WaitUntil.Completed));

        var view = restarted!.Properties.Containers[0].Properties.InstanceView!;
        Assert.Equal(1, view.RestartCount);
        Assert.Equal("Terminated", view.PreviousState!.State);
        Assert.Equal("Stopped", stopped!.Properties.InstanceView!.State);
        Assert.Equal("Terminated", stopped.Properties.Containers[0].Properties.InstanceView!.CurrentState!.State);
    }

    [Fact]
    public async Task Logs_are_the_current_runs_lines_with_tail_and_timestamps()
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.ScriptImage("registry.example/app:1", ContainerScript.Exits(TimeSpan.FromMilliseconds(10), 0, "one", "two", "three"));
        await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Completed);

        var all = await Eventually.ReturnsAsync(() => arm.Client.GetLogsAsync("g1", "app", tail: null, timestamps: false), log => log!.Length > 0);
        var tail = await arm.Client.GetLogsAsync("g1", "app", tail: 2, timestamps: true);

        Assert.Equal("one\ntwo\nthree\n", all);
        var lines = tail!.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("Z two", lines[0], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(lines[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Null(await arm.Client.GetLogsAsync("g1", "nope", null, false));
    }

    [Fact]
    public async Task Throttling_is_retried_after_the_retry_after_arm_asked_for()
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.Inject(FakeArmFault.Throttle(TimeSpan.FromSeconds(1)), method: "GET");
        var clock = Stopwatch.StartNew();

        Assert.Null(await arm.Client.GetAsync("g1"));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
        Assert.Equal([429, 404], arm.Server.Requests.Select(r => r.Status));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_and_dropped_connections_are_retried(int status)
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.Inject(FakeArmFault.ServerError(status), method: "PUT");
        arm.Server.Inject(FakeArmFault.Drop(), method: "PUT");

        var result = await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Started);

        Assert.NotNull(result.Group);
        Assert.Equal([status, 0, 201], arm.Server.Requests.Select(r => r.Status));
        Assert.Equal(3, arm.Client.Requests.Counts.Writes);
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_at_the_request_timeout_and_retried()
    {
        await using var arm = await ArmHarness.StartAsync(configure: o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        arm.Server.Inject(FakeArmFault.Slow(TimeSpan.FromSeconds(20)), method: "GET");

        Assert.Null(await arm.Client.GetAsync("g1"));

        Assert.Equal(2, arm.Client.Requests.Counts.Reads);
    }

    [Fact]
    public async Task Retries_that_run_out_end_in_a_transient_error()
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.Inject(FakeArmFault.ServerError(500), times: 10);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => arm.Client.GetAsync("g1"));

        Assert.True(error.Transient);
        Assert.Contains("InternalServerError", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, arm.Server.Requests.Count);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_longest_wait_is_not_waited_out()
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.Inject(FakeArmFault.Throttle(TimeSpan.FromMinutes(5)));

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => arm.Client.GetAsync("g1"));

        Assert.True(error.Transient);
        Assert.Single(arm.Server.Requests);
    }

    [Fact]
    public async Task A_quota_refusal_is_a_result_not_retried_and_not_an_error()
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.Inject(FakeArmFault.QuotaReached(), method: "PUT");

        var result = await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Completed);

        Assert.True(result.IsRefused);
        Assert.Equal("ContainerGroupQuotaReached", result.Refusal!.Code);
        Assert.Contains("quota", result.Refusal.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(arm.Server.Requests);
    }

    [Fact]
    public async Task A_region_without_capacity_is_a_refusal_too()
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.Inject(FakeArmFault.NoCapacity(), method: "PUT");

        var result = await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Started);

        Assert.Equal("ServiceUnavailable", result.Refusal!.Code);
    }

    [Fact]
    public async Task A_bad_request_is_a_permanent_error_with_arms_message()
    {
        await using var arm = await ArmHarness.StartAsync();

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => arm.Client.CreateOrUpdateAsync("Bad_Name", ArmHarness.Group(), WaitUntil.Started));

        Assert.False(error.Transient);
        Assert.Contains("InvalidContainerGroupName", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 63 characters", error.Message, StringComparison.Ordinal);
        Assert.Single(arm.Server.Requests);
    }

    [Fact]
    public async Task A_failed_image_pull_fails_the_deployment_a_waiting_create_reports()
    {
        await using var arm = await ArmHarness.StartAsync(new FakeArmOptions { ProvisioningStep = TimeSpan.FromMilliseconds(20), PullGiveUpAfter = TimeSpan.FromMilliseconds(200) });
        arm.Server.ScriptImage("registry.example/missing:1", ContainerScript.FailsToPull("registry.example/missing:1"));

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group("registry.example/missing:1"), WaitUntil.Completed));
        var group = await arm.Client.GetAsync("g1");

        Assert.False(error.Transient);
        Assert.Contains("Failed to pull image", error.Message, StringComparison.Ordinal);
        var view = group!.Properties.Containers[0].Properties.InstanceView!;
        Assert.Equal("Waiting", view.CurrentState!.State);
        Assert.Contains(view.Events!, e => e.Name == "Failed" && e.Message!.StartsWith("Failed to pull image", StringComparison.Ordinal));
        Assert.Contains(view.Events!, e => e.Name == "BackOff");
    }

    [Fact]
    public async Task Every_request_is_counted_by_kind_as_the_server_saw_it_and_carries_a_bearer_token()
    {
        await using var arm = await ArmHarness.StartAsync();
        arm.Server.Inject(FakeArmFault.Throttle(TimeSpan.Zero), method: "GET");

        await arm.Client.CreateOrUpdateAsync("g1", ArmHarness.Group(), WaitUntil.Completed);
        await arm.Client.ListAsync();
        await arm.Client.DeleteAsync("g1", WaitUntil.Started);

        var seen = arm.Server.Requests;
        var counts = arm.Client.Requests.Counts;
        Assert.Equal(seen.Count(r => r.IsRead), counts.Reads);
        Assert.Equal(seen.Count(r => r.IsWrite), counts.Writes);
        Assert.Equal(1, counts.Deletes);
        Assert.DoesNotContain(seen, r => r.Status == 401);
        Assert.True(arm.Credential.Requests >= 1);
    }

    [Fact]
    public async Task The_fake_refuses_a_request_without_a_bearer_token()
    {
        await using var arm = await ArmHarness.StartAsync();
        using var http = new HttpClient(arm.Server.CreateHandler());

        using var response = await http.GetAsync(new Uri(arm.Server.Endpoint, $"subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g1?api-version=2025-09-01"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("AuthenticationFailed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(409, "ContainerGroupQuotaReached", true)]
    [InlineData(400, "StandardCoresQuotaExceeded", true)]
    [InlineData(409, "RegionalCoresExceeded", true)]
    [InlineData(409, "InsufficientCapacity", true)]
    [InlineData(409, "ServiceUnavailable", true)]
    [InlineData(503, "ServiceUnavailable", false)]
    [InlineData(429, "TooManyRequests", false)]
    [InlineData(400, "InvalidContainerGroupName", false)]
    public void Quota_and_capacity_codes_are_told_from_other_errors(int status, string code, bool capacity)
    {
        var error = new ArmError(status, code, "m");

        Assert.Equal(capacity, error.IsCapacity);
    }

    [Theory]
    [InlineData(429, "TooManyRequests", true)]
    [InlineData(500, "InternalServerError", true)]
    [InlineData(503, "ServiceUnavailable", true)]
    [InlineData(409, "Conflict", true)]
    [InlineData(400, "InvalidContainerGroupName", false)]
    [InlineData(403, "AuthorizationFailed", false)]
    [InlineData(409, "ContainerGroupQuotaReached", false)]
    public void Transient_errors_are_told_from_permanent_ones(int status, string code, bool transient)
    {
        Assert.Equal(transient, new ArmError(status, code, "m").IsTransient);
    }
}
