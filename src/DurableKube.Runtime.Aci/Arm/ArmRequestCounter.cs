using System.Diagnostics.Metrics;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>
/// Counts the requests sent to ARM by kind: as the OpenTelemetry counter <c>durablekube.aci.arm.requests</c> (tags
/// <c>kind</c> and <c>method</c>) on the meter <see cref="MeterName"/>, and as totals the node agent and tests read.
/// </summary>
public sealed class ArmRequestCounter : IDisposable
{
    /// <summary>The name of the meter the counter is published on.</summary>
    public const string MeterName = "DurableKube.Runtime.Aci";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private long _reads;
    private long _writes;
    private long _deletes;

    /// <summary>Initializes a new instance of the <see cref="ArmRequestCounter"/> class.</summary>
    /// <param name="meterFactory">The host's meter factory, or <see langword="null"/> for a meter of its own.</param>
    public ArmRequestCounter(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("durablekube.aci.arm.requests", unit: "{request}", description: "Requests sent to Azure Resource Manager, every attempt counted.");
    }

    /// <summary>Gets the totals so far.</summary>
    public ArmRequestCounts Counts => new(Interlocked.Read(ref _reads), Interlocked.Read(ref _writes), Interlocked.Read(ref _deletes));

    /// <summary>The kind of request an HTTP method is to ARM's throttling.</summary>
    /// <param name="method">The method, e.g. <c>GET</c>.</param>
    /// <returns>Its kind.</returns>
    public static ArmRequestKind KindOf(string method) => method.ToUpperInvariant() switch
    {
        "GET" or "HEAD" => ArmRequestKind.Read,
        "DELETE" => ArmRequestKind.Delete,
        _ => ArmRequestKind.Write,
    };

    /// <summary>Counts one request.</summary>
    /// <param name="method">Its HTTP method.</param>
    public void Record(string method)
    {
        var kind = KindOf(method);
        _ = kind switch
        {
            ArmRequestKind.Read => Interlocked.Increment(ref _reads),
            ArmRequestKind.Delete => Interlocked.Increment(ref _deletes),
            _ => Interlocked.Increment(ref _writes),
        };
        _requests.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("method", method));
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
