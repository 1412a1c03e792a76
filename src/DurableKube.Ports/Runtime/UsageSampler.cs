using DurableKube.Domain.Metrics;

namespace DurableKube.Ports.Runtime;

/// <summary>
/// The samples a runtime keeps to turn cumulative CPU time into a rate, as the metrics-server keeps its last two
/// scrapes: each key (the node, or one container run) holds its last sample, and a new sample at least
/// <see cref="MinWindow"/> later gives the rate over the time between them. A sample sooner than that returns the
/// figures last computed, so requests in quick succession see the same window rather than a meaningless short one.
/// </summary>
/// <param name="minWindow">The shortest window a rate is computed over.</param>
public sealed class UsageSampler(TimeSpan minWindow)
{
    /// <summary>The shortest window the runtimes compute a rate over; a key seen for the first time is sampled again after it.</summary>
    public static readonly TimeSpan DefaultMinWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="UsageSampler"/> class with <see cref="DefaultMinWindow"/>.</summary>
    public UsageSampler()
        : this(DefaultMinWindow)
    {
    }

    /// <summary>Gets the shortest window a rate is computed over.</summary>
    public TimeSpan MinWindow { get; } = minWindow;

    /// <summary>Records a sample and returns the usage it gives.</summary>
    /// <param name="key">What was sampled.</param>
    /// <param name="time">When.</param>
    /// <param name="cpuNanoseconds">The CPU time used so far (cumulative).</param>
    /// <param name="memoryWorkingSetBytes">The memory working set now.</param>
    /// <returns>The usage, or <see langword="null"/> when the key has no earlier sample yet (sample it again after <see cref="MinWindow"/>).</returns>
    public ResourceUsage? Observe(string key, DateTimeOffset time, ulong cpuNanoseconds, ulong memoryWorkingSetBytes)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            var sample = new Sample(time, cpuNanoseconds);
            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = new Entry(sample, null);
                return null;
            }

            if (time - entry.Base.Time < MinWindow)
            {
                return entry.Last;
            }

            if (UsageFigures.NanoCores(entry.Base.CpuNanoseconds, entry.Base.Time, cpuNanoseconds, time) is not { } rate)
            {
                // The counter went back (the run was replaced under the same key): start again from this sample.
                _entries[key] = new Entry(sample, null);
                return null;
            }

            var usage = new ResourceUsage(time, time - entry.Base.Time, rate, memoryWorkingSetBytes);
            _entries[key] = new Entry(sample, usage);
            return usage;
        }
    }

    /// <summary>Forgets every key but those given (runs that have exited).</summary>
    /// <param name="keys">The keys still sampled.</param>
    public void Retain(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keep = keys.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private readonly record struct Sample(DateTimeOffset Time, ulong CpuNanoseconds);

    private readonly record struct Entry(Sample Base, ResourceUsage? Last);
}
