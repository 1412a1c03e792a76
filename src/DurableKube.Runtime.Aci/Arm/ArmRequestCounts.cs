namespace DurableKube.Runtime.Aci.Arm;

/// <summary>How many requests were sent to ARM, by kind (every attempt counts: retries and polls too, as ARM counts them).</summary>
/// <param name="Reads">GET requests.</param>
/// <param name="Writes">PUT, PATCH and POST requests.</param>
/// <param name="Deletes">DELETE requests.</param>
public readonly record struct ArmRequestCounts(long Reads, long Writes, long Deletes)
{
    /// <summary>Gets every request.</summary>
    public long Total => Reads + Writes + Deletes;
}
