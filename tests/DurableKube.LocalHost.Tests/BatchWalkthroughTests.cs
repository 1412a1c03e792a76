using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>Jobs, CronJobs and a pod's activeDeadlineSeconds with the real kubectl, as the Kubernetes documentation runs them.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class BatchWalkthroughTests(LocalHostFixture host)
{
    private static string Example(string name) => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", name);

    [Fact]
    public async Task The_pi_Job_completes_kubectl_wait_sees_it_and_its_log_is_read_through_the_Job()
    {
        var ns = E2E.UniqueNamespace("job");
        await E2E.CreateNamespaceAsync(host, ns);

        Assert.Contains("job.batch/pi created", await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("job.yaml")), StringComparison.Ordinal);
        Assert.Contains("job.batch/pi condition met", await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=complete", "job/pi", "--timeout=90s"), StringComparison.Ordinal);

        var table = await host.KubectlOkAsync("get", "jobs", "-n", ns);
        Assert.Matches(@"^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE", table);
        Assert.Matches(@"(?m)^pi\s+Complete\s+1/1\s+\d+s\s+\d+s\s*$", table);
        var wide = await host.KubectlOkAsync("get", "jobs", "-n", ns, "-o", "wide");
        Assert.Matches(@"CONTAINERS\s+IMAGES\s+SELECTOR", wide);
        Assert.Matches(@"pi\s+perl:5\.34\.0\s+batch\.kubernetes\.io/controller-uid=", wide);

        Assert.StartsWith("3.14159265358979323846", await host.KubectlOkAsync("logs", "-n", ns, "job/pi"), StringComparison.Ordinal);
        var pods = await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "batch.kubernetes.io/job-name=pi");
        Assert.Matches(@"(?m)^pi-[a-z0-9]{5}\s+0/1\s+Completed\s+0\s+", pods);
    }

    [Fact]
    public async Task A_sidecar_runs_beside_a_Jobs_worker_is_stopped_after_it_and_does_not_keep_the_Job_from_completing()
    {
        var ns = E2E.UniqueNamespace("sidecar");
        await E2E.CreateNamespaceAsync(host, ns);

        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("job-sidecar.yaml"));
        Assert.Contains("job.batch/with-sidecar condition met", await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=complete", "job/with-sidecar", "--timeout=90s"), StringComparison.Ordinal);

        var podName = (await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "batch.kubernetes.io/job-name=with-sidecar", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        var pod = await E2E.GetPodJsonAsync(host, ns, podName);
        Assert.Equal("Succeeded", pod.GetProperty("status").GetProperty("phase").GetString());
        var worker = pod.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("state").GetProperty("terminated");
        var sidecar = pod.GetProperty("status").GetProperty("initContainerStatuses")[0];
        Assert.Equal("logshipper", sidecar.GetProperty("name").GetString());
        var sidecarEnd = sidecar.GetProperty("state").GetProperty("terminated");

        // The sidecar started before the worker and was stopped (SIGTERM) only after the worker finished.
        Assert.Equal(0, worker.GetProperty("exitCode").GetInt32());
        Assert.True(sidecarEnd.GetProperty("startedAt").GetDateTime() <= worker.GetProperty("startedAt").GetDateTime());
        Assert.True(sidecarEnd.GetProperty("finishedAt").GetDateTime() >= worker.GetProperty("finishedAt").GetDateTime());
        Assert.Equal(143, sidecarEnd.GetProperty("exitCode").GetInt32());
        Assert.Equal(0, sidecar.GetProperty("restartCount").GetInt32());
        Assert.Equal("step 1\nstep 2\nstep 3\n", await host.KubectlOkAsync("logs", "-n", ns, podName, "-c", "logshipper"));
        // The sidecar counts in READY, as kubectl counts restartable init containers.
        Assert.Matches($@"(?m)^{podName}\s+0/2\s+Completed\s+0\s+", await host.KubectlOkAsync("get", "pods", "-n", ns));
    }

    [Fact]
    public async Task An_Indexed_Job_gives_each_pod_its_completion_index_and_completes_every_index()
    {
        var ns = E2E.UniqueNamespace("idx");
        await E2E.CreateNamespaceAsync(host, ns);
        var manifest = Path.Combine(host.Scratch, ns + "-indexed.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: indexed
            spec:
              completions: 3
              parallelism: 2
              completionMode: Indexed
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: worker
                    image: busybox
                    command: ["sh", "-c", "echo item $JOB_COMPLETION_INDEX"]
            """);

        await host.KubectlOkAsync("apply", "-n", ns, "-f", manifest);
        Assert.Contains("job.batch/indexed condition met", await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=complete", "job/indexed", "--timeout=90s"), StringComparison.Ordinal);

        Assert.Equal("0-2", (await host.KubectlOkAsync("get", "job", "indexed", "-n", ns, "-o", "jsonpath={.status.completedIndexes}")).Trim());
        var pods = await host.KubectlOkAsync("get", "pods", "-n", ns, "-L", "batch.kubernetes.io/job-completion-index");
        foreach (var index in new[] { 0, 1, 2 })
        {
            Assert.Matches($@"(?m)^indexed-{index}-[a-z0-9]{{5}}\s+0/1\s+Completed\s+0\s+\S+\s+{index}\s*$", pods);
            var name = Regex.Match(pods, $@"(?m)^(indexed-{index}-[a-z0-9]{{5}})").Groups[1].Value;
            Assert.Equal($"item {index}", (await host.KubectlOkAsync("logs", "-n", ns, name)).Trim());
            Assert.Equal($"indexed-{index}", (await host.KubectlOkAsync("get", "pod", name, "-n", ns, "-o", "jsonpath={.spec.hostname}")).Trim());
        }
    }

    [Fact]
    public async Task The_official_CSharp_client_runs_a_Job_to_completion_and_suspends_a_CronJob()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("jobcs");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var template = new V1PodTemplateSpec
        {
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Containers = [new V1Container { Name = "work", Image = "busybox:1.36", Command = ["sh", "-c", "echo done"] }],
            },
        };

        var job = await client.BatchV1.CreateNamespacedJobAsync(
            new V1Job { Metadata = new V1ObjectMeta { Name = "twice" }, Spec = new V1JobSpec { Completions = 2, Parallelism = 1, Template = template } }, ns);
        Assert.Equal(job.Metadata.Uid, job.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"]);
        var done = await Eventually.WaitAsync(
            () => client.BatchV1.ReadNamespacedJobStatusAsync("twice", ns),
            j => j.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true,
            TimeSpan.FromSeconds(90),
            "the Job to complete");
        Assert.Equal((2, 0), (done.Status.Succeeded, done.Status.Active ?? 0));
        Assert.NotNull(done.Status.CompletionTime);
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "batch.kubernetes.io/job-name=twice");
        Assert.Equal(2, pods.Items.Count(p => p.Status.Phase == "Succeeded"));

        await client.BatchV1.CreateNamespacedCronJobAsync(
            new V1CronJob
            {
                Metadata = new V1ObjectMeta { Name = "nightly" },
                Spec = new V1CronJobSpec { Schedule = "0 3 * * *", TimeZone = "Europe/Paris", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = template } } },
            },
            ns);
        var suspended = await client.BatchV1.PatchNamespacedCronJobAsync(new V1Patch("""{"spec":{"suspend":true}}""", V1Patch.PatchType.MergePatch), "nightly", ns);
        Assert.Equal((true, "Allow", 3, 1), (suspended.Spec.Suspend, suspended.Spec.ConcurrencyPolicy, suspended.Spec.SuccessfulJobsHistoryLimit, suspended.Spec.FailedJobsHistoryLimit));

        await client.BatchV1.DeleteNamespacedJobAsync("twice", ns, propagationPolicy: "Background");
        await Eventually.WaitAsync(
            () => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "batch.kubernetes.io/job-name=twice"),
            list => list.Items.Count == 0,
            TimeSpan.FromSeconds(60),
            "the Job's pods to be collected");
    }

    [Fact]
    public async Task A_CronJob_is_listed_with_its_schedule_by_its_short_name()
    {
        var ns = E2E.UniqueNamespace("cj");
        await E2E.CreateNamespaceAsync(host, ns);

        Assert.Contains("cronjob.batch/hello created", await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("cronjob.yaml")), StringComparison.Ordinal);

        var table = await host.KubectlOkAsync("get", "cj", "-n", ns);
        Assert.Matches(@"^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE", table);
        Assert.Matches(@"(?m)^hello\s+\* \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s\s*$", table);

        var manifest = Path.Combine(host.Scratch, ns + "-bad.yaml");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(Example("cronjob.yaml"))).Replace("\"* * * * *\"", "\"* * *\"", StringComparison.Ordinal));
        var bad = await host.KubectlAsync("apply", "-n", ns, "-f", manifest);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_pod_active_longer_than_its_activeDeadlineSeconds_ends_Failed_with_DeadlineExceeded()
    {
        var ns = E2E.UniqueNamespace("ads");
        await E2E.CreateNamespaceAsync(host, ns);
        var manifest = Path.Combine(host.Scratch, ns + "-deadline.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: deadline
            spec:
              activeDeadlineSeconds: 2
              terminationGracePeriodSeconds: 2
              restartPolicy: Never
              containers:
              - name: sleeper
                image: busybox
                command: ["sleep", "3600"]
            """);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", manifest);

        // kubectl's STATUS shows the killed container's reason (Error), as it does in Kubernetes; the pod's own phase and reason say why.
        var pod = await Eventually.WaitAsync(
            () => E2E.GetPodJsonAsync(host, ns, "deadline"),
            p => p.GetProperty("status").GetProperty("phase").GetString() == "Failed",
            TimeSpan.FromSeconds(60),
            "the pod to fail");
        Assert.Equal("DeadlineExceeded", pod.GetProperty("status").GetProperty("reason").GetString());
        Assert.Equal("Pod was active on the node longer than the specified deadline", pod.GetProperty("status").GetProperty("message").GetString());
    }
}
