using k8s.Models;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// The events the kubelet records for what one sync did and for the status it wrote, with its reasons and messages
/// (pkg/kubelet/events, kuberuntime_container.go, pod_workers.go, images/image_manager.go): Pulled, Created, Started,
/// Failed, Killing, FailedMount, SandboxChanged, BackOff; and NodeHasNoRuntime for a pod bound to a node no runtime here serves.
/// </summary>
public static class KubeletEvents
{
    private const string Normal = "Normal";
    private const string Warning = "Warning";

    /// <summary>The events of one sync's outcomes.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="commands">The commands the sync ran.</param>
    /// <param name="outcomes">What they produced.</param>
    /// <returns>The events, in order.</returns>
    public static IReadOnlyList<KubeletEvent> ForOutcomes(V1Pod pod, IReadOnlyList<KubeletCommand> commands, IReadOnlyList<KubeletOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(outcomes);
        var events = new List<KubeletEvent>();
        foreach (var outcome in outcomes)
        {
            switch (outcome)
            {
                case ContainerStarted started:
                    var image = ImageOf(pod, started.Name);
                    var path = PathOf(pod, started.Name);
                    events.Add(new(path, Normal, "Pulled", $"Container image \"{image}\" already present on machine"));
                    events.Add(new(path, Normal, "Created", $"Created container: {started.Name}"));
                    events.Add(new(path, Normal, "Started", $"Started container {started.Name}"));
                    break;
                case ContainerNotCreated failed:
                    events.Add(new(PathOf(pod, failed.Name), Warning, "Failed", "Error: " + failed.Error.Message));
                    break;
                case StopSent { Signal: StopSignal.Terminate } stop:
                    var command = commands.OfType<StopContainer>().FirstOrDefault(c => c.Name == stop.Name && c.Attempt == stop.Attempt);
                    events.Add(new(PathOf(pod, stop.Name), Normal, "Killing", command?.Message ?? $"Stopping container {stop.Name}"));
                    break;
                case SandboxPending { Wait.Reason: PodLifecycle.FailedMountReason } mount:
                    events.Add(new(null, Warning, "FailedMount", mount.Wait.Message ?? string.Empty));
                    break;
                case SandboxPending { Wait.Reason: "FailedCreatePodSandBox" } sandbox:
                    events.Add(new(null, Warning, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + sandbox.Wait.Message));
                    break;
                case SandboxPending { Wait.Reason: PodLifecycle.NoRuntimeReason } unserved:
                    // Not a kubelet's event (a kubelet runs only its own node's pods): the one place this pod's wait is told.
                    events.Add(new(null, Warning, PodLifecycle.NoRuntimeReason, unserved.Wait.Message ?? string.Empty));
                    break;
                case SandboxPending pending:
                    foreach (var wait in pending.Wait.Containers.Where(w => w.Reason == ContainerCreateError.ConfigErrorReason))
                    {
                        events.Add(new(PathOf(pod, wait.Name), Warning, "Failed", "Error: " + wait.Message));
                    }

                    break;
                case SandboxRestarted:
                    events.Add(new(null, Normal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created."));
                    break;
                case SandboxLost when pod.Spec?.RestartPolicy != "Never":
                    // A pod that restarts its containers gets a new sandbox; one that does not gets none, and no event (its status says why).
                    events.Add(new(null, Normal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created."));
                    break;
            }
        }

        return events;
    }

    /// <summary>The events a written status calls for: a container in back-off (crash loop or image pull), an image that cannot be pulled.</summary>
    /// <param name="pod">The pod, with the status written.</param>
    /// <returns>The events.</returns>
    public static IReadOnlyList<KubeletEvent> ForStatus(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var events = new List<KubeletEvent>();
        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
        foreach (var status in statuses)
        {
            var waiting = status.State?.Waiting;
            var path = PathOf(pod, status.Name);
            switch (waiting?.Reason)
            {
                case "CrashLoopBackOff":
                    events.Add(new(path, Warning, "BackOff",
                        $"Back-off restarting failed container {status.Name} in pod {pod.Metadata?.Name}_{pod.Metadata?.NamespaceProperty}({pod.Metadata?.Uid})"));
                    break;
                case "ImagePullBackOff":
                    events.Add(new(path, Normal, "BackOff", $"Back-off pulling image \"{ImageOf(pod, status.Name)}\""));
                    events.Add(new(path, Warning, "Failed", "Error: ImagePullBackOff"));
                    break;
                case "ErrImagePull":
                    events.Add(new(path, Warning, "Failed", $"Failed to pull image \"{ImageOf(pod, status.Name)}\": {waiting.Message}"));
                    events.Add(new(path, Warning, "Failed", "Error: ErrImagePull"));
                    break;
            }
        }

        return events;
    }

    private static string? PathOf(V1Pod pod, string container)
    {
        if (pod.Spec?.InitContainers?.Any(c => c.Name == container) == true)
        {
            return $"spec.initContainers{{{container}}}";
        }

        if (pod.Spec?.EphemeralContainers?.Any(c => c.Name == container) == true)
        {
            return $"spec.ephemeralContainers{{{container}}}";
        }

        return $"spec.containers{{{container}}}";
    }

    private static string ImageOf(V1Pod pod, string container) =>
        (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == container)?.Image
        ?? pod.Spec?.EphemeralContainers?.FirstOrDefault(c => c.Name == container)?.Image
        ?? string.Empty;
}
