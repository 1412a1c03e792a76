namespace DurableKube.Bench;

/// <summary>What one scenario measured.</summary>
/// <param name="Name">What it was.</param>
/// <param name="Asked">How many things it asked for.</param>
/// <param name="Reached">How many got there within its deadline.</param>
/// <param name="PerSecond">Reached per second, from the first start to the last arrival.</param>
/// <param name="Elapsed">From the first start to the last arrival.</param>
/// <param name="Latency">Each one's start-to-arrival, in milliseconds.</param>
internal sealed record ScenarioResult(string Name, int Asked, int Reached, double PerSecond, TimeSpan Elapsed, Summary Latency);
