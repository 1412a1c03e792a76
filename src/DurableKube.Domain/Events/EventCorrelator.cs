using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Events;

/// <summary>
/// client-go's EventCorrelator (tools/record/events_cache.go), with the time given: a spam filter per source, object,
/// reason and message (a token bucket of 25 that refills one every 5 minutes), an aggregator (more than 10 distinct messages
/// for one object, reason and type within 10 minutes become one event "(combined from similar events): ..."),
/// and a logger that turns a repeat of the same event into an update of the first: count + 1 and lastTimestamp
/// (no series: that is the events.k8s.io recorder's). Its caches are bounded (least recently seen
/// entries go first). Not thread-safe: one writer drives it.
/// </summary>
public sealed class EventCorrelator
{
    /// <summary>The most distinct messages an object gets for one reason before they are combined.</summary>
    public const int MaxSimilarEvents = 10;

    /// <summary>The prefix of a combined event's message.</summary>
    public const string CombinedPrefix = "(combined from similar events): ";

    /// <summary>How long the aggregator remembers an object's messages.</summary>
    public static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    /// <summary>The spam filter's burst.</summary>
    public const int SpamBurst = 25;

    /// <summary>How often the spam filter gives back one token.</summary>
    public static readonly TimeSpan SpamRefill = TimeSpan.FromMinutes(5);

    private readonly int _capacity;
    private readonly Dictionary<string, Aggregate> _aggregates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private DateTimeOffset _lastNamed = DateTimeOffset.MinValue;

    /// <summary>Initializes a new instance of the <see cref="EventCorrelator"/> class.</summary>
    /// <param name="capacity">The most entries each cache keeps (client-go: 4096).</param>
    public EventCorrelator(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Names a new event as client-go does: the object's name, a dot, and the time in hexadecimal nanoseconds since 1970.</summary>
    /// <param name="objectName">The object's name.</param>
    /// <param name="now">The time.</param>
    /// <returns>The name.</returns>
    public static string NameFor(string? objectName, DateTimeOffset now)
    {
        var nanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return (objectName ?? string.Empty) + "." + nanos.ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>Correlates one reported event with those before it.</summary>
    /// <param name="report">The report.</param>
    /// <param name="now">The time it happened.</param>
    /// <returns>What to write, or a skip when the spam filter holds it back.</returns>
    public EventCorrelation Correlate(EventReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var r = report.Regarding;
        var sourceKey = Join(report.Component, report.Host, r.Kind, r.NamespaceProperty, r.Name, r.Uid, r.ApiVersion);
        if (!Admit(Join(sourceKey, report.Type, report.Reason, report.Message), now))
        {
            return new EventCorrelation(null, Update: false);
        }

        var message = report.Message;
        var aggregateKey = Join(sourceKey, report.Type, report.Reason);
        var observeKey = Join(aggregateKey, r.FieldPath, message);
        if (!_aggregates.TryGetValue(aggregateKey, out var aggregate) || now - aggregate.Last > AggregationWindow)
        {
            aggregate = new Aggregate(new HashSet<string>(StringComparer.Ordinal), now);
        }

        aggregate = aggregate with { Last = now };
        if (aggregate.Messages.Count < MaxSimilarEvents || aggregate.Messages.Contains(message))
        {
            aggregate.Messages.Add(message);
        }
        else
        {
            message = CombinedPrefix + message;
            observeKey = aggregateKey;
        }

        Put(_aggregates, aggregateKey, aggregate, a => a.Last);
        var time = Serialization.KubeTime.Truncate(now);
        var ev = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { NamespaceProperty = string.IsNullOrEmpty(r.NamespaceProperty) ? "default" : r.NamespaceProperty },
            InvolvedObject = r,
            Reason = report.Reason,
            Message = message,
            Type = report.Type,
            Source = new V1EventSource { Component = report.Component, Host = report.Host },
            ReportingComponent = report.Component,
            ReportingInstance = report.Host ?? string.Empty,
            FirstTimestamp = time,
            LastTimestamp = time,
            Count = 1,
        };
        if (_seen.TryGetValue(observeKey, out var seen))
        {
            var count = seen.Count + 1;
            ev.Metadata.Name = seen.Name;
            ev.FirstTimestamp = Serialization.KubeTime.Truncate(seen.First);
            ev.Count = count;
            // No series on a core/v1 event, as client-go's legacy recorder writes them: a series' lastObservedTime is a
            // MicroTime, which Go clients (kubectl describe) refuse without its six fractional digits.
            Put(_seen, observeKey, seen with { Count = count, Last = now }, s => s.Last);
            return new EventCorrelation(ev, Update: true);
        }

        // Two events at the same instant get distinct names (client-go's clock never repeats a nanosecond in practice).
        _lastNamed = now > _lastNamed ? now : _lastNamed.AddTicks(1);
        ev.Metadata.Name = NameFor(r.Name, _lastNamed);
        Put(_seen, observeKey, new Seen(ev.Metadata.Name, 1, now, now), s => s.Last);
        return new EventCorrelation(ev, Update: false);
    }

    /// <summary>Forgets an event the store no longer has (expired or deleted), so its next repeat starts a new one.</summary>
    /// <param name="name">The event's name.</param>
    public void Forget(string name)
    {
        foreach (var key in _seen.Where(p => p.Value.Name == name).Select(p => p.Key).ToList())
        {
            _seen.Remove(key);
        }
    }

    private static string Join(params string?[] parts) => string.Join("\u0001", parts.Select(p => p ?? string.Empty));

    private bool Admit(string key, DateTimeOffset now)
    {
        var bucket = _buckets.TryGetValue(key, out var b) ? b : new Bucket(SpamBurst, now);
        var refilled = (int)Math.Min(SpamBurst - bucket.Tokens, Math.Max(0, (now - bucket.Since) / SpamRefill));
        if (refilled > 0)
        {
            bucket = new Bucket(bucket.Tokens + refilled, bucket.Since + (SpamRefill * refilled));
        }

        if (bucket.Tokens >= SpamBurst)
        {
            bucket = bucket with { Since = now };
        }

        var admitted = bucket.Tokens > 0;
        Put(_buckets, key, admitted ? bucket with { Tokens = bucket.Tokens - 1 } : bucket, x => x.Since);
        return admitted;
    }

    private void Put<T>(Dictionary<string, T> cache, string key, T value, Func<T, DateTimeOffset> lastUsed)
    {
        cache[key] = value;
        if (cache.Count > _capacity)
        {
            foreach (var old in cache.OrderBy(p => lastUsed(p.Value)).Take(cache.Count - _capacity).Select(p => p.Key).ToList())
            {
                cache.Remove(old);
            }
        }
    }

    private sealed record Aggregate(HashSet<string> Messages, DateTimeOffset Last);

    private sealed record Seen(string Name, int Count, DateTimeOffset First, DateTimeOffset Last);

    private sealed record Bucket(int Tokens, DateTimeOffset Since);
}
