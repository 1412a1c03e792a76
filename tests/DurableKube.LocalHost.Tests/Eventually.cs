namespace DurableKube.LocalHost.Tests;

/// <summary>Waits for something that happens asynchronously in the control plane.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until it returns a value <paramref name="done"/> accepts.</summary>
    /// <param name="describe">Says what the last value seen shows, for the timeout's message (its ToString by default).</param>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last = default!;
        Exception? error = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                error = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = e;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{what} did not happen within {timeout}; last seen: {(describe is not null && last is not null ? describe(last) : last)}", error);
    }
}
