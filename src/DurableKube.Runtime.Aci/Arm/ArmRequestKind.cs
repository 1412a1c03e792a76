namespace DurableKube.Runtime.Aci.Arm;

/// <summary>The kinds of request ARM throttles separately (one token bucket each, per region and principal).</summary>
public enum ArmRequestKind
{
    /// <summary>GET: reads, list pages, logs, operation polls.</summary>
    Read,

    /// <summary>PUT, PATCH and POST (restart, stop, start).</summary>
    Write,

    /// <summary>DELETE.</summary>
    Delete,
}
