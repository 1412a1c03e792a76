using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>The official C# client (KubernetesClient) against the local host.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class CSharpClientTests(LocalHostFixture host)
{
    [Fact]
    public async Task Create_list_read_and_delete_a_pod()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("client");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });

        var created = await client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "from-csharp", Labels = new Dictionary<string, string> { ["made-by"] = "csharp" } },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sh", "-c", "echo hi from csharp"] }],
                },
            },
            ns);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        var read = await client.CoreV1.ReadNamespacedPodAsync("from-csharp", ns);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(30, read.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("IfNotPresent", read.Spec.Containers[0].ImagePullPolicy);

        var list = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "made-by=csharp");
        Assert.Equal(["from-csharp"], list.Items.Select(p => p.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));

        var done = await Eventually.WaitAsync(
            () => client.CoreV1.ReadNamespacedPodAsync("from-csharp", ns),
            p => p.Status?.Phase == "Succeeded",
            TimeSpan.FromSeconds(60),
            "the pod to succeed");
        Assert.Equal(0, done.Status.ContainerStatuses.Single().State.Terminated.ExitCode);

        var all = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"metadata.name=from-csharp");
        Assert.Contains(all.Items, p => p.Metadata.NamespaceProperty == ns);

        await client.CoreV1.DeleteNamespacedPodAsync("from-csharp", ns);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("from-csharp", ns));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task Two_leader_electors_on_one_Lease_hand_over_when_the_leader_stops()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("lease");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        LeaderElectionConfig Config(string identity) => new(new LeaseLock(client, ns, "leader", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(15),
            RenewDeadline = TimeSpan.FromSeconds(10),
            RetryPeriod = TimeSpan.FromSeconds(1),
        };

        using var first = new LeaderElector(Config("first"));
        using var second = new LeaderElector(Config("second"));
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        second.OnStartedLeading += () => secondLeads.TrySetResult();
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();

        var firstRun = first.RunUntilLeadershipLostAsync(stopFirst.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(90));
        var secondRun = second.RunUntilLeadershipLostAsync(stopSecond.Token);
        var held = await client.CoordinationV1.ReadNamespacedLeaseAsync("leader", ns);
        Assert.Equal("first", held.Spec.HolderIdentity);
        Assert.Equal(15, held.Spec.LeaseDurationSeconds);
        Assert.False(secondLeads.Task.IsCompleted);

        // The leader stops renewing; the other takes the Lease once it has expired, as client-go's elector does.
        await stopFirst.CancelAsync();
        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(120));
        var taken = await client.CoordinationV1.ReadNamespacedLeaseAsync("leader", ns);
        Assert.Equal("second", taken.Spec.HolderIdentity);
        Assert.True(taken.Spec.LeaseTransitions >= 1, $"leaseTransitions {taken.Spec.LeaseTransitions}");
        Assert.True(taken.Spec.RenewTime >= held.Spec.RenewTime);

        var table = await host.KubectlAsync("get", "leases", "-n", ns);
        Assert.Matches(@"NAME\s+HOLDER\s+AGE\s+leader\s+second\s+\d+s", table.Output);

        await stopSecond.CancelAsync();
        await Task.WhenAll(IgnoreCancellation(firstRun), IgnoreCancellation(secondRun));
    }

    private static async Task IgnoreCancellation(Task run)
    {
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }

    [Fact]
    public async Task Errors_come_back_as_Kubernetes_Status_objects()
    {
        using var client = host.CreateClient();

        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod { Metadata = new V1ObjectMeta { Name = "Bad_Name" }, Spec = new V1PodSpec { Containers = [] } }, "default"));

        Assert.Equal((System.Net.HttpStatusCode)422, invalid.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(invalid.Response.Content);
        Assert.Equal(("Status", "Failure", "Invalid", 422), (status.Kind, status.Status, status.Reason, status.Code));
        Assert.Contains(status.Details.Causes, c => c.Field == "metadata.name");
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.containers");
    }
}
