using k8s.Models;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// Ephemeral containers seen as the containers they run: the kubelet runs one as it runs any container
/// (its command, args, environment, working directory, mounts, terminal), with none of the fields an
/// ephemeral container may not have (ports, probes, resources, lifecycle).
/// </summary>
public static class EphemeralContainers
{
    /// <summary>Gives the container an ephemeral container runs.</summary>
    /// <param name="ephemeral">The ephemeral container.</param>
    /// <returns>The container.</returns>
    public static V1Container AsContainer(V1EphemeralContainer ephemeral)
    {
        ArgumentNullException.ThrowIfNull(ephemeral);
        return new V1Container
        {
            Name = ephemeral.Name,
            Image = ephemeral.Image,
            Command = ephemeral.Command,
            Args = ephemeral.Args,
            Env = ephemeral.Env,
            EnvFrom = ephemeral.EnvFrom,
            WorkingDir = ephemeral.WorkingDir,
            VolumeMounts = ephemeral.VolumeMounts,
            VolumeDevices = ephemeral.VolumeDevices,
            ImagePullPolicy = ephemeral.ImagePullPolicy,
            SecurityContext = ephemeral.SecurityContext,
            Stdin = ephemeral.Stdin,
            StdinOnce = ephemeral.StdinOnce,
            Tty = ephemeral.Tty,
            TerminationMessagePath = ephemeral.TerminationMessagePath,
            TerminationMessagePolicy = ephemeral.TerminationMessagePolicy,
        };
    }

    /// <summary>Finds a container of a pod by name, whichever list holds it: init, app or ephemeral.</summary>
    /// <param name="spec">The pod's spec.</param>
    /// <param name="name">The container's name.</param>
    /// <returns>The container (an ephemeral one as the container it runs), or <see langword="null"/>.</returns>
    public static V1Container? FindContainer(V1PodSpec spec, string name)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (spec.InitContainers ?? []).Concat(spec.Containers ?? []).FirstOrDefault(c => c.Name == name)
            ?? (spec.EphemeralContainers ?? []).Where(c => c.Name == name).Select(AsContainer).FirstOrDefault();
    }
}
