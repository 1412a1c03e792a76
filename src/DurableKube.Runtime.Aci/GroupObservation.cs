using System.Globalization;
using System.Text;
using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Aci.Arm.Models;

namespace DurableKube.Runtime.Aci;

/// <summary>
/// What a read of a container group (with its <c>instanceView</c>) says in the runtime port's terms: the sandbox's
/// state, the runs of the current generation, and the waiting reasons from ACI's events.
/// </summary>
public static class GroupObservation
{
    /// <summary>The pod uid a group's tags name, if it is DurableKube's.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The uid, or <see langword="null"/>.</returns>
    public static string? UidOf(ContainerGroup group) => Tag(group, GroupNames.UidTag);

    /// <summary>The node a group's tags name.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The node's name, or <see langword="null"/>.</returns>
    public static string? NodeOf(ContainerGroup group) => Tag(group, GroupNames.NodeTag);

    /// <summary>The generation a group's tags record: the attempt number of the runs its last (re)start began.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The generation, 0 for a group never restarted.</returns>
    public static int GenerationOf(ContainerGroup group) =>
        int.TryParse(Tag(group, GroupNames.GenerationTag), NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : 0;

    /// <summary>
    /// The sandbox's status: ready once every app container of the current generation has started (Running or
    /// Terminated, the init containers done); pending otherwise, with why each container that has not started waits:
    /// <c>ErrImagePull</c> then <c>ImagePullBackOff</c> when ACI's events say the image could not be pulled,
    /// <c>PodInitializing</c> for app containers behind init containers, else <c>ContainerCreating</c>.
    /// </summary>
    /// <param name="group">The group, read with its instance view.</param>
    /// <returns>The status.</returns>
    public static SandboxStatus SandboxStatusOf(ContainerGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var ip = group.Properties.IpAddress?.Ip;
        var apps = group.Properties.Containers;
        if (apps.Count > 0 && apps.All(c => HasStarted(c.Properties.InstanceView)))
        {
            return new SandboxStatus(SandboxState.Ready, ip, null);
        }

        var initsDone = (group.Properties.InitContainers ?? []).All(c => c.Properties.InstanceView?.CurrentState is { State: "Terminated", ExitCode: 0 });
        var waiting = new List<ContainerWaiting>();
        foreach (var init in group.Properties.InitContainers ?? [])
        {
            if (!HasStarted(init.Properties.InstanceView))
            {
                waiting.Add(Waiting(init.Name, init.Properties.InstanceView, "ContainerCreating"));
            }
        }

        foreach (var app in apps.Where(c => !HasStarted(c.Properties.InstanceView)))
        {
            waiting.Add(Waiting(app.Name, app.Properties.InstanceView, initsDone ? "ContainerCreating" : "PodInitializing"));
        }

        return new SandboxStatus(SandboxState.Pending, ip, null) { Waiting = waiting };
    }

    /// <summary>The runs of the current generation that have started (init containers first), as the port reports runs.</summary>
    /// <param name="group">The group, read with its instance view.</param>
    /// <param name="podUid">The pod's uid.</param>
    /// <returns>The runs.</returns>
    public static IReadOnlyList<ContainerRunStatus> RunsOf(ContainerGroup group, string podUid)
    {
        ArgumentNullException.ThrowIfNull(group);
        var generation = GenerationOf(group);
        var stopped = group.Properties.InstanceView?.State == "Stopped";
        var views = (group.Properties.InitContainers ?? []).Select(c => (c.Name, c.Properties.InstanceView))
            .Concat(group.Properties.Containers.Select(c => (c.Name, c.Properties.InstanceView)));
        var runs = new List<ContainerRunStatus>();
        foreach (var (name, view) in views)
        {
            if (Run(new ContainerRunId(podUid, name, generation), view, stopped) is { } run)
            {
                runs.Add(run);
            }
        }

        return runs;
    }

    /// <summary>A text that changes whenever anything the runtime reports of the group changes: whether a read found news.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The fingerprint.</returns>
    public static string Fingerprint(ContainerGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var text = new StringBuilder()
            .Append(group.Properties.ProvisioningState).Append('|')
            .Append(group.Properties.InstanceView?.State).Append('|')
            .Append(GenerationOf(group));
        var views = (group.Properties.InitContainers ?? []).Select(c => (c.Name, c.Properties.InstanceView))
            .Concat(group.Properties.Containers.Select(c => (c.Name, c.Properties.InstanceView)));
        foreach (var (name, view) in views)
        {
            var state = view?.CurrentState;
            text.Append('|').Append(name).Append(':').Append(state?.State).Append(':')
                .Append(state?.StartTime?.ToUnixTimeMilliseconds()).Append(':').Append(state?.ExitCode)
                .Append(':').Append(view?.Events?.Count);
        }

        return text.ToString();
    }

    private static ContainerRunStatus? Run(ContainerRunId id, ContainerInstanceView? view, bool stopped)
    {
        var state = view?.CurrentState;
        switch (state?.State)
        {
            case "Running" when stopped:
                return new ContainerRunStatus(id, ContainerRunState.Exited, state.StartTime ?? DateTimeOffset.UnixEpoch, state.StartTime, 137, PodLifecycle.ContainerStatusUnknownReason, "The container group was stopped; ACI did not report how the container ended.");
            case "Running":
                return new ContainerRunStatus(id, ContainerRunState.Running, state.StartTime ?? DateTimeOffset.UnixEpoch);
            case "Terminated":
                var oom = state.DetailStatus?.Contains("OOMKilled", StringComparison.OrdinalIgnoreCase) == true;
                return new ContainerRunStatus(
                    id,
                    ContainerRunState.Exited,
                    state.StartTime ?? state.FinishTime ?? DateTimeOffset.UnixEpoch,
                    state.FinishTime ?? state.StartTime,
                    state.ExitCode ?? (oom ? 137 : 1),
                    oom ? "OOMKilled" : state.ExitCode is null ? PodLifecycle.ContainerStatusUnknownReason : null,
                    state.ExitCode is null && !oom ? "ACI reported the container terminated without an exit code." : null);
            default:
                return null;
        }
    }

    private static bool HasStarted(ContainerInstanceView? view) => view?.CurrentState?.State is "Running" or "Terminated";

    private static ContainerWaiting Waiting(string container, ContainerInstanceView? view, string otherwise)
    {
        var events = view?.Events ?? [];
        var pullFailed = events.LastOrDefault(e => e.Name == "Failed" && e.Message?.Contains("pull", StringComparison.OrdinalIgnoreCase) == true);
        if (pullFailed is null)
        {
            return new ContainerWaiting(container, otherwise);
        }

        var backOff = events.LastOrDefault(e => e.Name == "BackOff" && e.Message?.Contains("pulling", StringComparison.OrdinalIgnoreCase) == true);
        return backOff is { Count: > 1 }
            ? new ContainerWaiting(container, "ImagePullBackOff", backOff.Message)
            : new ContainerWaiting(container, "ErrImagePull", pullFailed.Message);
    }

    private static string? Tag(ContainerGroup group, string name) => group.Tags is { } tags && tags.TryGetValue(name, out var value) ? value : null;
}
