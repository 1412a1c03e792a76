using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

public class PodPhasesTests
{
    // Container states in shorthand: "w" waiting, "r" running, "t0"/"t1" terminated with that exit code,
    // "c1" waiting in CrashLoopBackOff after an exit 1, "-" no status yet, "s" a started sidecar.
    [Theory]
    [InlineData("Always", "", "w", false, "Pending")]
    [InlineData("Always", "", "-", false, "Pending")]
    [InlineData("Always", "", "r", false, "Running")]
    [InlineData("Always", "", "r,w", false, "Pending")]
    [InlineData("Always", "", "r,t0", false, "Running")]
    [InlineData("Always", "", "t0", false, "Running")]        // all stopped, will be restarted
    [InlineData("Always", "", "c1", false, "Running")]        // crash looping is Running
    [InlineData("OnFailure", "", "t0", false, "Succeeded")]
    [InlineData("OnFailure", "", "t0,t1", false, "Running")]  // the failed one is being restarted
    [InlineData("OnFailure", "", "c1", false, "Running")]
    [InlineData("Never", "", "t0", false, "Succeeded")]
    [InlineData("Never", "", "t0,t1", false, "Failed")]
    [InlineData("Never", "", "r,t1", false, "Running")]
    [InlineData("Always", "", "t0", true, "Succeeded")]       // killed on deletion: terminal whatever the policy
    [InlineData("Always", "", "t0,t1", true, "Failed")]
    [InlineData("Always", "w", "w", false, "Pending")]        // init container not done
    [InlineData("Always", "r", "w", false, "Pending")]
    [InlineData("Always", "t0", "r", false, "Running")]
    [InlineData("Never", "t1", "w", false, "Failed")]         // init failure under Never fails the pod
    [InlineData("Always", "c1", "w", false, "Pending")]       // init failure under Always is retried
    [InlineData("OnFailure", "t1", "w", false, "Pending")]
    public void Phase_follows_the_kubelets_getPhase(string policy, string inits, string apps, bool terminal, string expected)
    {
        var spec = new V1PodSpec
        {
            RestartPolicy = policy,
            InitContainers = Split(inits).Select((_, i) => new V1Container { Name = $"init{i}" }).ToList(),
            Containers = Split(apps).Select((_, i) => new V1Container { Name = $"app{i}" }).ToList(),
        };
        var initStatuses = Statuses("init", inits);
        var statuses = Statuses("app", apps);

        Assert.Equal(expected, PodPhases.Compute(spec, initStatuses, statuses, terminal));
    }

    [Theory]
    [InlineData("s", "r", "Running")]
    [InlineData("w", "w", "Pending")]
    public void Sidecars_count_as_running_containers(string sidecar, string app, string expected)
    {
        var spec = new V1PodSpec
        {
            RestartPolicy = "Always",
            InitContainers = [new V1Container { Name = "init0", RestartPolicy = "Always" }],
            Containers = [new V1Container { Name = "app0" }],
        };

        Assert.Equal(expected, PodPhases.Compute(spec, Statuses("init", sidecar), Statuses("app", app), podIsTerminal: false));
    }

    private static string[] Split(string states) => states.Length == 0 ? [] : states.Split(',');

    private static List<V1ContainerStatus> Statuses(string prefix, string states) =>
        Split(states)
            .Select((s, i) => (s, i))
            .Where(p => p.s != "-")
            .Select(p => Status($"{prefix}{p.i}", p.s))
            .ToList();

    private static V1ContainerStatus Status(string name, string shorthand)
    {
        var status = new V1ContainerStatus { Name = name, State = new V1ContainerState() };
        switch (shorthand[0])
        {
            case 'w':
                status.State.Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" };
                break;
            case 'r':
                status.State.Running = new V1ContainerStateRunning();
                break;
            case 's':
                status.State.Running = new V1ContainerStateRunning();
                status.Started = true;
                break;
            case 't':
                status.State.Terminated = new V1ContainerStateTerminated { ExitCode = shorthand[1] - '0' };
                break;
            case 'c':
                status.State.Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" };
                status.LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = shorthand[1] - '0' } };
                break;
        }

        return status;
    }
}
