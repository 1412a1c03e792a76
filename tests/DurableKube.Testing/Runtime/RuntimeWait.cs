using DurableKube.Ports.Runtime;

namespace DurableKube.Testing.Runtime;

/// <summary>Waits the runtime tests share: a condition polled until it holds, a run until it has exited.</summary>
public static class RuntimeWait
{
    /// <summary>Polls a condition until it holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="poll">How long between two looks.</param>
    /// <returns>A task that completes once the condition holds.</returns>
    /// <exception cref="TimeoutException">It did not hold in time.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan poll)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(poll);
        }
    }

    /// <summary>Waits until a run has exited.</summary>
    /// <param name="runtime">The runtime.</param>
    /// <param name="id">The run.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="poll">How long between two looks.</param>
    /// <returns>The exited run.</returns>
    public static async Task<ContainerRunStatus> ForExitAsync(IContainerRuntime runtime, ContainerRunId id, TimeSpan timeout, TimeSpan poll)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ContainerRunStatus? status = null;
        await UntilAsync(async () => (status = await runtime.GetContainerAsync(id)) is { State: ContainerRunState.Exited }, timeout, poll);
        return status!;
    }
}
