using Microsoft.Extensions.Configuration;

namespace DurableKube.Functions.Hosting;

/// <summary>
/// Refuses, at start, a Functions app configured to run pods with the process runtime (or Docker, or <c>auto</c>). That runtime runs each
/// container as a process of the machine it is on: here, a process of whichever Functions instance ran the
/// pod's activity, sharing its memory and CPU, lost when the instance is recycled or scaled in (Flex
/// Consumption scales to zero), and unseen by the other instances. Pods belong on worker nodes (Azure
/// Container Instances); the process runtime belongs to the local host (<c>scripts/up.sh</c>).
/// </summary>
public static class ProcessRuntimeGuard
{
    /// <summary>The runtime kind refused here.</summary>
    public const string ProcessKind = "process";

    /// <summary>The runtime kinds refused here: the local ones (processes, the machine's Docker engine) and <c>auto</c>, which picks one of them.</summary>
    public static IReadOnlyList<string> LocalKinds { get; } = [ProcessKind, "docker", "auto"];

    /// <summary>Throws if the configuration enables the process runtime for any node.</summary>
    /// <param name="configuration">The app's configuration (app settings, <c>local.settings.json</c>, environment).</param>
    /// <exception cref="InvalidOperationException"><c>Runtime:Kind</c> or a <c>Nodes:&lt;name&gt;:Kind</c> is <c>process</c>.</exception>
    public static void EnsureNoProcessRuntime(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var offending = ProcessSettings(configuration);
        if (offending.Count == 0)
        {
            return;
        }

        throw new InvalidOperationException(
            $"The Functions app cannot run pods with a local container runtime (process or docker), but {string.Join(" and ", offending)}. "
            + "It would run containers as processes (or Docker containers) of the Functions worker's machine: sharing its memory and CPU, seen by one instance only, "
            + "and killed whenever the platform recycles or scales in that instance. Remove that setting and describe worker nodes "
            + "instead, e.g. Nodes__aci-1__Kind=aci with __SubscriptionId, __ResourceGroup, __Region, __Cpu and __MemoryGi (infra/ sets them "
            + "for azd up). To run pods as local processes, use the local host (scripts/up.sh).");
    }

    /// <summary>Gets the settings that enable the process runtime, each as <c>Name=value</c>, in the environment's spelling.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The offending settings; empty if none.</returns>
    public static IReadOnlyList<string> ProcessSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var offending = new List<string>();
        if (IsProcess(configuration["Runtime:Kind"]))
        {
            offending.Add($"Runtime__Kind={configuration["Runtime:Kind"]}");
        }

        foreach (var node in configuration.GetSection("Nodes").GetChildren())
        {
            if (IsProcess(node["Kind"]))
            {
                offending.Add($"Nodes__{node.Key}__Kind={node["Kind"]}");
            }
        }

        return offending;
    }

    private static bool IsProcess(string? kind) =>
        LocalKinds.Contains(kind?.Trim() ?? string.Empty, StringComparer.OrdinalIgnoreCase);
}
